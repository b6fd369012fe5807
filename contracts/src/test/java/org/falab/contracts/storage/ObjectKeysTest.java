package org.falab.contracts.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A snapshot event may only name its run's own snapshot keys: every way out of runs/ID/snapshots/ is refused. */
class ObjectKeysTest {

    private static final String RUN = "run-6b1f0c2e";

    @Test
    void theTrainersKeyIsInScope() {
        String key = ObjectKeys.snapshot(RUN, 100, "layer2.0.conv1", "error-signal");
        assertThat(key).isEqualTo("runs/run-6b1f0c2e/snapshots/step-00000100/layer2.0.conv1.error-signal.npy")
                .startsWith(ObjectKeys.snapshots(RUN));
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 100, "layer2.0.conv1", "error-signal", key)).isEmpty();
    }

    /** runId, layer, key of an event that must not be read. */
    static List<String[]> outOfScope() {
        String own = "runs/run-6b1f0c2e/snapshots/step-00000100/fc1.error-signal.npy";
        return List.of(
                new String[] {RUN, "fc1", "runs/run-other/snapshots/step-00000100/fc1.error-signal.npy"},
                new String[] {RUN, "fc1", "runs/run-6b1f0c2e/checkpoints/latest.json"},
                new String[] {RUN, "fc1", "/" + own},
                new String[] {RUN, "fc1", "datasets/cifar100/train.bin"},
                new String[] {RUN, "fc1", "runs/run-6b1f0c2e/snapshots/step-00000100/../../../run-other/x.npy"},
                new String[] {RUN, "fc1", "runs/run-6b1f0c2e/snapshots/step-00000100/%2e%2e/fc1.error-signal.npy"},
                new String[] {RUN, "fc1", own.replace("fc1", "fc1%2Ffc2")},
                new String[] {RUN, "fc1", own + "\u0000"},
                new String[] {RUN, "fc1", own.toUpperCase()},
                // the parts themselves climbing out: the formatted key equals the event's key, yet leaves the run
                new String[] {RUN, "../../run-other/snapshots/step-00000100/fc1",
                        "runs/run-6b1f0c2e/snapshots/step-00000100/../../run-other/snapshots/step-00000100/fc1.error-signal.npy"},
                new String[] {"../run-other", "fc1", "runs/../run-other/snapshots/step-00000100/fc1.error-signal.npy"},
                new String[] {"run-a/../run-b", "fc1", "runs/run-a/../run-b/snapshots/step-00000100/fc1.error-signal.npy"},
                new String[] {RUN, "..", "runs/run-6b1f0c2e/snapshots/step-00000100/...error-signal.npy"},
                new String[] {RUN, ".hidden", "runs/run-6b1f0c2e/snapshots/step-00000100/.hidden.error-signal.npy"},
                new String[] {RUN, "fc1%2F..", "runs/run-6b1f0c2e/snapshots/step-00000100/fc1%2F...error-signal.npy"},
                new String[] {RUN, "fc1", null});
    }

    @ParameterizedTest
    @MethodSource("outOfScope")
    void everyOtherKeyIsRefusedWithAReason(String runId, String layer, String key) {
        assertThat(ObjectKeys.snapshotKeyProblem(runId, 100, layer, "error-signal", key)).as(key)
                .hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
    }

    @Test
    void anotherQuantityLayerOrALaterStepThanTheEventSaysIsRefused() {
        String key = ObjectKeys.snapshot(RUN, 200, "fc1", "feedback");
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 100, "fc1", "feedback", key)).as("a later step").isPresent();
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 200, "fc1", "weight", key)).isPresent();
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 200, "fc2", "feedback", key)).isPresent();
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 300, "fc2", "feedback", key)).isPresent();
    }

    @Test
    void theSameMatrixStoredAtAnEarlierStepIsInScope() {
        // the trainer stores an unchanged matrix (a fixed B, the probe batch) once and names it again later
        String key = ObjectKeys.snapshot(RUN, 0, "fc1", "feedback");
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 0, "fc1", "feedback", key)).isEmpty();
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 2300, "fc1", "feedback", key)).isEmpty();
        assertThat(ObjectKeys.snapshotKeyProblem(RUN, 123_456_789, "fc1", "feedback",
                ObjectKeys.snapshot(RUN, 100_000_000, "fc1", "feedback"))).as("steps past eight digits").isEmpty();
        // only the trainer's own spelling of a step: no other number of leading zeros, no sign, no empty step
        for (String odd : List.of("step-0000100", "step-000000100", "step-+0000100", "step-", "step-0x000064")) {
            String spelled = "runs/run-6b1f0c2e/snapshots/" + odd + "/fc1.feedback.npy";
            assertThat(ObjectKeys.snapshotKeyProblem(RUN, 2300, "fc1", "feedback", spelled)).as(spelled).isPresent();
        }
    }

    @Test
    void onlyTheRunsOwnCheckpointsAndSnapshotsMayBeDownloaded() {
        for (String key : List.of(ObjectKeys.checkpoint(RUN, 3), ObjectKeys.stepCheckpoint(RUN, 1200),
                ObjectKeys.latestCheckpoint(RUN), ObjectKeys.snapshot(RUN, 100, "layer2.0.conv1", "error-signal"))) {
            assertThat(ObjectKeys.downloadKeyProblem(RUN, key)).as(key).isEmpty();
        }
        String other = "run-0123456789ab";
        for (String key : java.util.Arrays.asList(null, "", ObjectKeys.checkpoint(other, 3), ObjectKeys.ended(RUN),
                ObjectKeys.attempt(RUN, 1), ObjectKeys.checkpoints(RUN), ObjectKeys.snapshots(RUN) + "step-1//x.npy",
                ObjectKeys.checkpoints(RUN) + "../../" + other + "/checkpoints/epoch-0003.ckpt",
                ObjectKeys.checkpoints(RUN) + "./epoch-0003.ckpt", ObjectKeys.checkpoints(RUN) + "%2e%2e/x",
                ObjectKeys.checkpoints(RUN) + "a b", "/" + ObjectKeys.checkpoint(RUN, 3),
                "datasets/mnist/train-images-idx3-ubyte.gz")) {
            assertThat(ObjectKeys.downloadKeyProblem(RUN, key)).as(String.valueOf(key))
                    .hasValueSatisfying(reason -> assertThat(reason).startsWith("key "));
        }
        assertThat(ObjectKeys.downloadKeyProblem("../x", ObjectKeys.checkpoint(RUN, 3))).isPresent();
    }
}
