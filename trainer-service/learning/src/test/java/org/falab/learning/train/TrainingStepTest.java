package org.falab.learning.train;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.data.SyntheticTeacher;
import org.falab.learning.layers.WeightLayer;
import org.falab.learning.layers.Initializer;
import org.falab.learning.models.Mlp;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingStepTest {

    private static final LabelledExamples TRAIN = SyntheticTeacher.standard().trainSplit();

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adamw", "muon"})
    void feedbackMatricesStayFixedWhileWeightsMove(String optimizerName) throws Exception {
        // weight decay and momentum on, so any optimiser that reached B would change it
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(16, 16), LearningRule.FA, JsonEnums.of(OptimizerKind.class, optimizerName), 1, 32, 0.05, 0.9, 0.1,
                3L, null, null, 1, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(LearningRule.FA, Mlp.widths(SyntheticTeacher.INPUTS, spec.hidden(), 10),
                    Initializer.XAVIER_UNIFORM, spec.seed(), manager, DataType.FLOAT32);
            Optimizer optimizer = Optimizers.create(spec, mlp);
            List<float[]> feedbackBefore = mlp.layers().stream()
                    .map(l -> l.feedback().toFloatArray()).toList();
            List<float[]> weightsBefore = mlp.layers().stream().map(l -> l.weight().toFloatArray()).toList();

            int[] order = Seeds.permutation(TRAIN.size(), Seeds.stream(1, "test"));
            for (int s = 0; s < 3; s++) {
                Training.step(manager, mlp, optimizer, TRAIN, order, s * 32, s * 32 + 32, s + 1);
            }

            assertThat(optimizer.state().keySet()).noneMatch(name -> name.contains("feedback"));
            for (int i = 0; i < mlp.layers().size(); i++) {
                WeightLayer layer = mlp.layers().get(i);
                assertThat(layer.feedback().hasGradient()).isFalse();
                assertThat(layer.feedback().toFloatArray()).as("B of " + layer.name()).isEqualTo(feedbackBefore.get(i));
                assertThat(layer.weight().toFloatArray()).as("W of " + layer.name()).isNotEqualTo(weightsBefore.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp", "fa"})
    void stepsDoNotLeakArraysOntoTheModelManager(String method) throws Exception {
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(64, 64), JsonEnums.of(LearningRule.class, method), OptimizerKind.ADAMW, 1, 16, 1e-3, 0, 0.01,
                5L, null, null, 1, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(spec.method(), Mlp.widths(SyntheticTeacher.INPUTS, spec.hidden(), 10),
                    Initializer.XAVIER_UNIFORM, spec.seed(), manager, DataType.FLOAT32);
            Optimizer optimizer = Optimizers.create(spec, mlp.parameters());
            int[] order = Seeds.permutation(TRAIN.size(), Seeds.stream(2, "test"));
            Training.step(manager, mlp, optimizer, TRAIN, order, 0, 16, 1);
            int arraysAfterFirstStep = manager.getManagedArrays().size();
            for (int s = 1; s < 40; s++) {
                Training.step(manager, mlp, optimizer, TRAIN, order, s * 16, s * 16 + 16, s + 1);
            }
            assertThat(manager.getManagedArrays()).hasSize(arraysAfterFirstStep);
            // parameters + optimiser state (+ feedback matrices under FA), nothing per step
            int expected = mlp.parameters().size() + optimizer.state().size() + mlp.frozenTensors().size();
            assertThat(arraysAfterFirstStep).isEqualTo(expected);
        }
    }
}
