package org.falab.learning.convert;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.ProbeLayout;
import org.falab.contracts.events.Quantities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.falab.learning.data.Batch;
import org.falab.learning.layers.Norm;
import org.falab.learning.layers.Parameter;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.layers.WeightLayer;
import org.falab.learning.models.ImageShape;
import org.falab.learning.models.Network;
import org.falab.learning.probes.ErrorSignalProbe;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.train.LayerSignal;
import org.junit.jupiter.api.Test;

/** What the builder builds and reports; DFA's direct error path; batch norm's modes. */
class ModelBuilderTest {

    private static RunSpec spec(String model, String method, String norm, List<Integer> hidden, List<Integer> channels) {
        return new RunSpec(Dataset.CIFAR10, JsonEnums.of(Model.class, model), hidden, JsonEnums.of(LearningRule.class, method), OptimizerKind.SGD, 1, 8, 0.01, 0.9, 0.0, 5L, null, null, 1, 4, channels,
                null, null, null, JsonEnums.of(org.falab.contracts.spec.Norm.class, norm), null, null, null, false, null);
    }

    @Test
    void countsEveryLinearAndConvLayerUnderTheRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            TensorFactory t = TensorFactory.seeded(m, DataType.FLOAT32, 1);
            ModelBuilder.Built r20 = ModelBuilder.build(spec("resnet20", "fa", "batch", List.of(8), null), t);
            // stem + 3 stages x 3 blocks x 2 convs + 2 projection shortcuts (16->32, 32->64), one head
            assertThat(r20.conv2d()).isEqualTo(21);
            assertThat(r20.linear()).isEqualTo(1);
            assertThat(r20.network().layers()).allSatisfy(l -> assertThat(l.rule().rule()).isEqualTo(LearningRule.FA));
            assertThat(r20.network().frozenTensors()).hasSize(22);
            // one BN (gain, bias) per conv
            assertThat(r20.network().parameters()).filteredOn(p -> p.kind() == Parameter.Kind.NORM).hasSize(42);
            assertThat(r20.network().buffers()).hasSize(42);

            ModelBuilder.Built r18 = ModelBuilder.build(spec("resnet18", "usf", "none", List.of(8), null), t);
            // stem + 4 stages x 2 blocks x 2 convs + 3 shortcuts
            assertThat(r18.conv2d()).isEqualTo(20);
            assertThat(r18.linear()).isEqualTo(1);
            assertThat(r18.network().parameters()).noneMatch(p -> p.kind() == Parameter.Kind.NORM);

            ModelBuilder.Built cnn = ModelBuilder.build(spec("cnn", "dfa", "layer", List.of(16), List.of(4, 8)), t);
            assertThat(cnn.conv2d()).isEqualTo(2);
            assertThat(cnn.linear()).isEqualTo(2);
            // fc2 is the head: no B; conv1, conv2, fc1 project to the 10 classes
            assertThat(cnn.network().frozenTensors()).containsOnlyKeys("conv1.feedback", "conv2.feedback", "fc1.feedback");
            assertThat(cnn.network().frozenTensors().get("conv1.feedback").getShape()).isEqualTo(new Shape(4 * 32 * 32, 10));

            ModelBuilder.Built mlp = ModelBuilder.build(new RunSpec(Dataset.CIFAR100, Model.MLP, List.of(8, 8), LearningRule.FRSF, OptimizerKind.SGD, 1, 8,
                    0.01, 0.9, 0, 5L, null, null, 1, 4), t);
            assertThat(mlp.linear()).isEqualTo(3);
            assertThat(mlp.conv2d()).isZero();
            assertThat(mlp.network().layers().get(2).outputFeatures()).isEqualTo(100);

            assertThatThrownBy(() -> ModelBuilder.build(spec("resnet20", "dfa", "batch", List.of(8), null), t))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dfa");
        }
    }

    @Test
    void dfaHiddenErrorSignalsAreTheOutputErrorThroughTheirOwnB() {
        try (NDManager m = NDManager.newBaseManager()) {
            RunSpec s = new RunSpec(Dataset.MNIST, Model.CNN, List.of(6), LearningRule.DFA, OptimizerKind.SGD, 1, 8, 0.01, 0.9, 0.0, 5L, null, null, 1, 4,
                    List.of(3), null, null, null, org.falab.contracts.spec.Norm.NONE, null, null, null, false, ProbeLayout.EXAMPLES);
            Network net = ModelBuilder.build(s, new ImageShape(1, 6, 6), 10, TensorFactory.seeded(m, DataType.FLOAT64, 3))
                    .network();
            int n = 5;
            NDArray x = m.randomNormal(new Shape(n, 1, 6, 6), DataType.FLOAT64);
            int[] labels = {0, 3, 9, 3, 1};
            NDArray targets = m.zeros(new Shape(n, 10), DataType.FLOAT64);
            for (int i = 0; i < n; i++) {
                targets.set(new ai.djl.ndarray.index.NDIndex(i, labels[i]), 1.0);
            }
            List<LayerSignal> all = ErrorSignalProbe.on(new Batch(x, targets, labels)).record(net, "examples");
            // e = ∂L/∂logits = (softmax - t) / n
            NDArray e = net.forward(x).softmax(1).sub(targets).div(n);
            List<LayerSignal> deltas = all.stream().filter(q -> q.quantity().equals(Quantities.ERROR_SIGNAL)).toList();
            assertThat(deltas).extracting(LayerSignal::layer).containsExactly("conv1", "fc1", "fc2");
            for (int i = 0; i < 2; i++) {
                WeightLayer layer = net.layers().get(i);
                double[] expected = e.matMul(layer.feedback().transpose()).toDoubleArray();
                assertCloseF(deltas.get(i).values(), expected, layer.name() + ": δ = e·Bᵀ");
            }
            assertCloseF(deltas.get(2).values(), e.toDoubleArray(), "head: δ = e");
            assertThat(deltas.get(0).layout()).isEqualTo(LayerSignal.EXAMPLES_X_CHW);
            assertThat(all).filteredOn(q -> q.quantity().equals(Quantities.BP_ERROR_SIGNAL)).hasSize(3);
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEvaluation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Norm bn = Norm.create("batch", "fc1.norm", 3, TensorFactory.seeded(m, DataType.FLOAT64, 1));
            NDArray x = m.create(new double[] {1, 10, -2, 3, 14, -2, 5, 18, -2, 7, 22, -2}, new Shape(4, 3));
            NDArray probe = bn.apply(x, Pass.probe(org.falab.learning.layers.PreActivationHook.NONE));
            assertThat(bn.buffers().get("fc1.norm.running-mean").toDoubleArray()).containsExactly(0, 0, 0);
            NDArray train;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                train = bn.apply(x, Pass.train());
                c.backward(train.sum());
            }
            assertThat(train.toDoubleArray()).containsExactly(probe.toDoubleArray());
            double[] y = train.toDoubleArray();
            // feature 0: mean 4, biased var 5 -> standardised
            assertThat(y[0]).isCloseTo((1 - 4) / Math.sqrt(5 + 1e-5), org.assertj.core.data.Offset.offset(1e-9));
            // running = 0.9 * init + 0.1 * batch (unbiased variance 20/3)
            assertThat(bn.buffers().get("fc1.norm.running-mean").toDoubleArray()[0]).isCloseTo(0.4,
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(bn.buffers().get("fc1.norm.running-var").toDoubleArray()[0]).isCloseTo(0.9 + 0.1 * 20 / 3.0,
                    org.assertj.core.data.Offset.offset(1e-12));
            double[] eval = bn.apply(x, Pass.eval()).toDoubleArray();
            assertThat(eval[0]).isCloseTo((1 - 0.4) / Math.sqrt(0.9 + 0.1 * 20 / 3.0 + 1e-5),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(bn.parameters()).extracting(Parameter::kind).containsOnly(Parameter.Kind.NORM);
        }
    }

    @Test
    void batchNormTrainsOnABatchOfOneExample() {
        // a last batch of one example: one value per feature, which the engine's batch norm refuses
        try (NDManager m = NDManager.newBaseManager()) {
            Norm bn = Norm.create("batch", "fc1.norm", 3, TensorFactory.seeded(m, DataType.FLOAT64, 1));
            NDArray x = m.create(new double[] {1, 10, -2}, new Shape(1, 3));
            x.setRequiresGradient(true);
            NDArray train;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                train = bn.apply(x, Pass.train());
                c.backward(train.sum());
            }
            assertThat(train.toDoubleArray()).containsExactly(0, 0, 0);
            assertThat(bn.buffers().get("fc1.norm.running-mean").toDoubleArray()[1]).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(bn.buffers().get("fc1.norm.running-var").toDoubleArray()[1]).isCloseTo(0.9,
                    org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    private static void assertCloseF(float[] actual, double[] expected, String what) {
        assertThat(actual).hasSize(expected.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        assertThat(max).as(what).isLessThan(1e-6);
    }
}
