package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.ModelSize;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.DatasetSource;
import org.junit.jupiter.api.Test;

/** The memory estimate grows with what a run holds, and a budget below it refuses the run before it starts. */
class TrainingMemoryTest {

    private static final DatasetSource NO_FILES = DatasetSource.directory(Path.of("/nonexistent"));
    private static final long MIB = 1024 * 1024;

    private static RunSpec demo(OptimizerKind optimizer, double momentum, List<Integer> hidden) {
        return new RunSpec(Dataset.FASHION_MNIST, Model.MLP, hidden, LearningRule.FA, optimizer, 3, 128, 0.01,
                momentum, 0.0, 42L, null, null, 100, 256);
    }

    @Test
    void theEstimateCountsWhatTheRunHolds() {
        RunSpec sgd = demo(OptimizerKind.SGD, 0.9, List.of(256, 256));
        long parameters = ModelSize.parameters(sgd);
        // the Java arrays, and the training examples once more on the device with their one-hot targets
        long data = 70_000L * 784 * 4 + 60_000L * (784 + 10) * 4;
        long estimate = TrainingMemory.estimateBytes(sgd, 60_000, 10_000, 784);
        // parameters, gradients, B and momentum at least, and the data; a few hundred MiB at most for this small net
        assertThat(estimate).isGreaterThan(4 * parameters * 4 + data).isLessThan(data + 100 * MIB);
        assertThat(TrainingMemory.estimateBytes(demo(OptimizerKind.SGD, 0, List.of(256, 256)), 60_000, 10_000, 784))
                .as("no momentum buffer").isLessThan(estimate);
        assertThat(TrainingMemory.estimateBytes(demo(OptimizerKind.ADAMW, 0.9, List.of(256, 256)), 60_000, 10_000,
                784)).as("two moments").isGreaterThan(estimate);
        assertThat(TrainingMemory.estimateBytes(sgd, 6_000, 1_000, 784)).as("less data").isLessThan(estimate);

        // the study's mlp with Muon: 2.9M parameters, whose Newton-Schulz products dominate a step
        RunSpec study = demo(OptimizerKind.MUON, 0.9, List.of(1024, 1024, 1024));
        long studyParameters = ModelSize.parameters(study);
        assertThat(TrainingMemory.estimateBytes(study, 60_000, 10_000, 784))
                .isGreaterThan(5 * studyParameters * 4 + data).isLessThan(data + 1024 * MIB);
        assertThat(TrainingMemory.mebibytes(3 * MIB / 2)).isEqualTo("1.5");
    }

    @Test
    void aRunAboveItsBudgetIsRefusedBeforeItStartsAndOneWithinTrains() throws Exception {
        RunSpec spec = Specs.synthetic("fa", "sgd", 1, 0.05);
        // the synthetic data: 32 training and 64 test examples of 32 features
        long needed = TrainingMemory.estimateBytes(spec, 32, 64, 32);
        RecordingListener refused = new RecordingListener();
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, refused,
                TrainingOptions.defaults("cpu").withMemoryBudget(needed - 1)))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessage("needs about " + TrainingMemory.mebibytes(needed) + " MiB, the budget is "
                        + TrainingMemory.mebibytes(needed - 1) + " MiB");
        assertThat(refused.starts).as("no model was built, no step taken").isEmpty();

        RecordingListener trained = new RecordingListener();
        Training.train(spec, NO_FILES, trained, TrainingOptions.defaults("cpu").withMemoryBudget(needed));
        assertThat(trained.steps).hasSize(2);
    }
}
