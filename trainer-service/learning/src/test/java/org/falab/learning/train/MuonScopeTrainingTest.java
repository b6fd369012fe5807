package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.MuonScope;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.spec.RunSpecChecks;
import org.falab.learning.data.DatasetSource;

/**
 * {@code muonScope: all} trains: Muon's Newton-Schulz update on the first conv filter (32 x 1 x 3 x 3, viewed as
 * 32 x 9, a tall matrix) and on the non-square head (10 x 256, a wide one) runs for 3 steps with finite losses, and
 * the run differs from the same run with the hidden scope (the first layer and the head move differently).
 */
class MuonScopeTrainingTest {

    /** mnist-format 1x28x28 images, 24 training examples in batches of 8: 3 steps. */
    private static RunSpec spec(MuonScope scope) {
        return new RunSpec(Dataset.MNIST, Model.CNN, List.of(256), LearningRule.FA, OptimizerKind.MUON, 1, 8, 0.02,
                0.0, 0.0, 5L, null, null, 100, 4, List.of(32), null, null, null, null, null, null, null, false,
                null, null, scope);
    }

    @Test
    void muonOnEveryMatrixTrainsTheConvStemAndTheNonSquareHead(@TempDir Path root) throws Exception {
        ImageModelTrainingTest.writeMnist(root, 24, 8);
        assertThat(RunSpecChecks.violations(spec(MuonScope.ALL))).isEmpty();

        RecordingListener all = new RecordingListener();
        TrainingResult result = Training.train(spec(MuonScope.ALL), DatasetSource.directory(root), all);
        RecordingListener hidden = new RecordingListener();
        Training.train(spec(MuonScope.HIDDEN), DatasetSource.directory(root), hidden);

        assertThat(all.steps).hasSize(3).allSatisfy(s -> assertThat(s.trainLoss()).isFinite().isPositive());
        assertThat(result.testAccuracy()).isBetween(0.0, 1.0);
        assertThat(hidden.steps).hasSize(3);
        // the first step's loss is the initial network's, the same in both; then the updates differ
        assertThat(all.losses().get(0)).isEqualTo(hidden.losses().get(0));
        assertThat(all.losses()).isNotEqualTo(hidden.losses());
    }
}
