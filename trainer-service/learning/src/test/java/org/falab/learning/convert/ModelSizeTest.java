package org.falab.learning.convert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.falab.contracts.events.Quantities;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.ModelSize;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.ProbeLayout;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Parameter;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.layers.WeightLayer;
import org.falab.learning.models.Network;
import org.falab.learning.probes.ErrorSignalProbe;
import org.falab.learning.train.LayerSignal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract's {@link ModelSize} counts a spec's network without building it, for the gateway's limits and the
 * trainer's memory estimate; here the counts meet the networks {@link ModelBuilder} builds and the probes they give.
 */
class ModelSizeTest {

    private static RunSpec spec(String dataset, String model, String method, String norm, List<Integer> hidden,
            List<Integer> channels, int probeSize, String layout) {
        return new RunSpec(org.falab.contracts.json.JsonEnums.of(Dataset.class, dataset),
                org.falab.contracts.json.JsonEnums.of(Model.class, model), hidden,
                org.falab.contracts.json.JsonEnums.of(LearningRule.class, method), OptimizerKind.SGD, 1, 8, 0.01, 0.9,
                0.0, 5L, null, null, 1, probeSize, channels, null, null, null,
                org.falab.contracts.json.JsonEnums.of(Norm.class, norm), null, null, null, false,
                org.falab.contracts.json.JsonEnums.of(ProbeLayout.class, layout));
    }

    private static List<Integer> widths(String list) {
        return list.isEmpty() ? null : java.util.Arrays.stream(list.split(" ")).map(Integer::valueOf).toList();
    }

    @ParameterizedTest
    @CsvSource({
            "fashion-mnist, mlp, fa, none, 256 256, ''",
            "synthetic, mlp, frsf, layer, 32 16, ''",
            "fashion-mnist, mlp, bp, batch, 1024 1024 1024, ''",
            "cifar10, cnn, dfa, batch, 32, 8 16",
            "mnist, cnn, fa, layer, 16, 4 8 8 8",
            "cifar10, resnet20, fa, batch, '', ''",
            "mnist, resnet20, usf, layer, '', ''",
            "cifar100, resnet18, bp, batch, '', ''",
            "cifar10, resnet18, bp, none, '', ''"})
    void theCountsAreThoseOfTheBuiltNetwork(String dataset, String model, String method, String norm, String hidden,
            String channels) {
        RunSpec spec = spec(dataset, model, method, norm, widths(hidden), widths(channels), 4, "positions");
        List<ModelSize.Layer> counted = ModelSize.layers(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            Network network = ModelBuilder.build(spec, TensorFactory.seeded(manager, DataType.FLOAT32, 1)).network();
            assertThat(counted).extracting(ModelSize.Layer::name)
                    .containsExactlyElementsOf(network.layers().stream().map(WeightLayer::name).toList());
            for (int i = 0; i < counted.size(); i++) {
                assertThat(counted.get(i).weights()).as(counted.get(i).name())
                        .isEqualTo(network.layers().get(i).weight().size());
            }
            assertThat(ModelSize.parameters(spec)).as("parameters")
                    .isEqualTo(network.parameters().stream().mapToLong(p -> p.array().size()).sum());
            long frozen = network.frozenTensors().values().stream().mapToLong(NDArray::size).sum();
            assertThat(ModelSize.keptFeedbackValues(spec)).as("kept feedback").isEqualTo(frozen);
            long buffers = network.buffers().values().stream().mapToLong(NDArray::size).sum();
            long counted2 = norm.equals("batch")
                    ? counted.stream().filter(ModelSize.Layer::normalised).mapToLong(l -> 2L * l.out()).sum() : 0;
            assertThat(counted2).as("batch-norm statistics").isEqualTo(buffers);
            assertThat(network.parameters()).filteredOn(p -> p.kind() == Parameter.Kind.NORM)
                    .hasSize(2 * (int) counted.stream().filter(ModelSize.Layer::normalised).count());
        }
    }

    @ParameterizedTest
    @CsvSource({
            "synthetic, mlp, fa, none, 32 16, '', positions",
            "cifar10, cnn, dfa, batch, 32, 8 16, positions",
            "mnist, cnn, fa, none, 16, 4 8, examples",
            "mnist, resnet20, brsf, batch, '', '', positions"})
    void theLargestProbeBatchMatrixIsTheOneTheProbeRecords(String dataset, String model, String method, String norm,
            String hidden, String channels, String layout) {
        int n = 3;
        RunSpec spec = spec(dataset, model, method, norm, widths(hidden), widths(channels), n, layout);
        try (NDManager manager = NDManager.newBaseManager()) {
            Network network = ModelBuilder.build(spec, TensorFactory.seeded(manager, DataType.FLOAT32, 1)).network();
            int[] chw = ModelSize.inputShape(spec.dataset());
            int features = chw[0] * chw[1] * chw[2];
            SplittableRandom rng = new SplittableRandom(3);
            float[] x = new float[n * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            LabelledExamples examples = new LabelledExamples(x, new int[n], features,
                    ModelSize.classes(spec.dataset()));
            if (spec.model() != Model.MLP) {
                examples = examples.withImageShape(chw);
            }
            List<LayerSignal> signals;
            try (ErrorSignalProbe probe = ErrorSignalProbe.fixed(examples, n, 1, manager, DataType.FLOAT32)) {
                signals = probe.record(network, layout);
            }
            Map<String, ModelSize.Layer> byName = new java.util.HashMap<>();
            ModelSize.layers(spec).forEach(l -> byName.put(l.name(), l));
            long largest = 0;
            for (LayerSignal s : signals) {
                long values = (long) s.rows() * s.cols();
                ModelSize.Layer l = byName.get(s.layer());
                switch (s.quantity()) {
                    case Quantities.ERROR_SIGNAL, Quantities.BP_ERROR_SIGNAL -> {
                        assertThat(values).as(s.layer() + " " + s.quantity()).isEqualTo(n * l.outputValues());
                        largest = Math.max(largest, values);
                    }
                    case Quantities.ACTIVITY -> {
                        assertThat(values).as(s.layer() + " activity").isEqualTo(n * l.inputValues());
                        largest = Math.max(largest, values);
                    }
                    case Quantities.FEEDBACK -> assertThat(values).as(s.layer() + " feedback")
                            .isEqualTo(ModelSize.feedbackValues(spec, l));
                    default -> assertThat(values).as(s.layer() + " " + s.quantity()).isEqualTo(l.weights());
                }
            }
            assertThat(ModelSize.largestProbeMatrix(spec)).isEqualTo(largest);
        }
    }
}
