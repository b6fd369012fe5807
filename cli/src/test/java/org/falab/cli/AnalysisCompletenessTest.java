package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class AnalysisCompletenessTest {

    @Test
    void expectsTheRankedQuantitiesOfTheLastSnapshotOnlyNotWeightOrFeedback() {
        ObjectNode fa = Fixtures.json(Fixtures.FA);

        assertThat(AnalysisCompleteness.lastProbeStep(fa)).isEqualTo(1407);
        assertThat(AnalysisCompleteness.expectedRanks(fa, 1407)).containsExactly("fc1.error-signal",
                "fc1.bp-error-signal", "fc1.activity", "fc1.update", "fc2.error-signal", "fc2.bp-error-signal",
                "fc2.activity", "fc2.update");
        assertThat(AnalysisCompleteness.missing(fa)).isEmpty();
        assertThat(AnalysisCompleteness.missing(Fixtures.json(Fixtures.BP))).isEmpty();
    }

    @Test
    void namesWhatIsMissingAtTheLastStepIncludingTheAngleToBp() {
        ObjectNode fa = Fixtures.json(Fixtures.FA);
        ArrayNode analysis = (ArrayNode) fa.get("analysis");
        analysis.remove(analysis.size() - 1); // fc2.update of step 1407
        ArrayNode alignment = (ArrayNode) fa.get("alignment");
        alignment.remove(1); // fc1 of step 1407; the one of step 1400 does not count

        assertThat(AnalysisCompleteness.missing(fa)).containsExactly("fc2.update", "fc1 angle to BP");
    }

    @Test
    void aSucceededRunWaitsForTheSnapshotOfItsLastStepEvenIfAnEarlierOneIsComplete() {
        ObjectNode fa = Fixtures.json(Fixtures.FA);
        fa.with("progress").put("totalSteps", 1410);

        assertThat(AnalysisCompleteness.lastProbeStep(fa)).isEqualTo(1410);
        assertThat(AnalysisCompleteness.missing(fa)).containsExactly("snapshot of step 1410");
    }

    @Test
    void aRunningRunIsJudgedByItsLatestSnapshot() {
        ObjectNode fa = Fixtures.json(Fixtures.FA);
        fa.put("state", "RUNNING");
        fa.with("progress").put("totalSteps", 5000);

        assertThat(AnalysisCompleteness.lastProbeStep(fa)).isEqualTo(1407);
    }

    @Test
    void keysEndInLayerDotQuantityDotNpyAndLayersMayHoldDots() {
        assertThat(AnalysisCompleteness.layerAndQuantity("runs/r/snapshots/step-00000001/block1.conv2.update.npy"))
                .containsExactly("block1.conv2", "update");
        assertThat(AnalysisCompleteness.layerAndQuantity("fc1.error-signal.npy"))
                .containsExactly("fc1", "error-signal");
        assertThat(AnalysisCompleteness.layerAndQuantity("runs/r/checkpoints/epoch-0001.ckpt")).isNull();
        assertThat(AnalysisCompleteness.layerAndQuantity("runs/r/snapshots/step-1/noquantity.npy")).isNull();
    }
}
