package org.falab.learning.train;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.data.SyntheticTeacher;
import org.falab.learning.layers.Initializer;
import org.falab.learning.models.Mlp;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;
import org.junit.jupiter.api.Test;

/** The optimiser-side probe and the divergence warning, in a real training. */
class UpdateProbeTest {

    private static final LabelledExamples TRAIN = SyntheticTeacher.standard().trainSplit();
    private static final DatasetSource NO_FILES = (d, f) -> {
        throw new java.io.FileNotFoundException(f);
    };

    @Test
    void updateIsTheChangeThePlainSgdStepApplied() throws Exception {
        // no momentum: the change must be exactly -lr·(g + λ·W_before), g still held after the step
        double lr = 0.1;
        double wd = 0.01;
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(8), LearningRule.FA, OptimizerKind.SGD, 1, 16, lr, 0, wd, 4L, null, null, 1,
                8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(LearningRule.FA, Mlp.widths(SyntheticTeacher.INPUTS, spec.hidden(), 10),
                    Initializer.XAVIER_UNIFORM, spec.seed(), manager, DataType.FLOAT32);
            Optimizer sgd = Optimizers.create(spec, mlp);
            int[] order = Seeds.permutation(TRAIN.size(), Seeds.stream(1, "test"));
            Map<String, float[]> before = UpdateProbe.weights(mlp);
            // the gradients autograd gives on the step's batch (the step itself uses the MLP's hand-written backward)
            List<float[]> gradients = new ArrayList<>();
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                org.falab.learning.data.Batch batch = org.falab.learning.data.Batch.of(manager, TRAIN, order, 0, 16,
                        DataType.FLOAT32);
                collector.backward(org.falab.learning.models.SoftmaxCrossEntropy.mean(
                        mlp.forward(batch.inputs(), org.falab.learning.layers.Pass.train()), batch.targets()));
            }
            for (int i = 0; i < 2; i++) {
                gradients.add(mlp.layers().get(i).weight().getGradient().toFloatArray());
            }
            Training.step(manager, mlp, sgd, TRAIN, order, 0, 16, 1);
            List<LayerSignal> updates = UpdateProbe.updates(mlp, before);

            assertThat(updates).extracting(LayerSignal::layer).containsExactly("fc1", "fc2");
            for (int i = 0; i < 2; i++) {
                LayerSignal u = updates.get(i);
                float[] g = gradients.get(i);
                float[] w0 = before.get(u.layer());
                assertThat(u.quantity()).isEqualTo("update");
                assertThat(u.layout()).isEqualTo("out x in");
                assertThat(u.layerIndex()).isEqualTo(i);
                assertThat(u.rows()).isEqualTo(i == 0 ? 8 : 10);
                assertThat(u.cols()).isEqualTo(i == 0 ? 32 : 8);
                for (int k = 0; k < g.length; k++) {
                    assertThat((double) u.values()[k]).isCloseTo(-lr * (g[k] + wd * w0[k]), within(1e-6));
                }
            }
        }
    }

    @Test
    void aMuonRunDeliversUpdatesInItsProbesAndGivesNoWarning() throws Exception {
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(32, 32), LearningRule.FA, OptimizerKind.MUON, 1, 16, 0.02, 0.9, 0.01, 42L,
                64, 64, 2, 8);
        List<ProbeSnapshot> probes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Training.train(spec, NO_FILES, new TrainingListener() {
            @Override
            public void onProbe(ProbeSnapshot snapshot) {
                probes.add(snapshot);
            }

            @Override
            public void onWarning(String reason) {
                warnings.add(reason);
            }
        });
        assertThat(probes).hasSize(2);
        for (ProbeSnapshot p : probes) {
            List<LayerSignal> updates = p.signals().stream().filter(s -> s.quantity().equals("update")).toList();
            assertThat(updates).extracting(LayerSignal::layer).containsExactly("fc1", "fc2", "fc3");
            assertThat(updates.get(1).rows()).isEqualTo(32);
            assertThat(updates.get(1).cols()).isEqualTo(32);
            // Muon's hidden update: lr·NS5(u) has Frobenius norm about lr·sqrt(32)·(0.7..1.2), plus tiny decay
            double norm = 0;
            for (float v : updates.get(1).values()) {
                norm += v * v;
            }
            assertThat(Math.sqrt(norm)).isBetween(0.02 * Math.sqrt(32) * 0.6, 0.02 * Math.sqrt(32) * 1.3);
        }
        assertThat(warnings).isEmpty();
    }
}
