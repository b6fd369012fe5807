package org.falab.trainer.events;

import java.time.Instant;

/** The life of a run: docs/events/run-event.schema.json. Fields that do not apply to a type are null. */
public record RunEvent(String runId, Type type, Instant time, Integer epoch, Long step, Long totalSteps,
        Double trainLoss, Double testAccuracy, String checkpointKey, Double trainingSeconds, String engine,
        String reason) {

    public enum Type {
        STARTED, PROGRESS, EPOCH_COMPLETED, CHECKPOINT_WRITTEN, WARNING, SUCCEEDED, FAILED
    }

    public static RunEvent started(String runId, long totalSteps, String engine) {
        return new RunEvent(runId, Type.STARTED, Instant.now(), 0, 0L, totalSteps, null, null, null, null, engine,
                null);
    }

    public static RunEvent progress(String runId, int epoch, long step, long totalSteps, double trainLoss) {
        return new RunEvent(runId, Type.PROGRESS, Instant.now(), epoch, step, totalSteps, trainLoss, null, null, null,
                null, null);
    }

    public static RunEvent epochCompleted(String runId, int epoch, long step, long totalSteps, double trainLoss,
            double testAccuracy) {
        return new RunEvent(runId, Type.EPOCH_COMPLETED, Instant.now(), epoch, step, totalSteps, trainLoss,
                testAccuracy, null, null, null, null);
    }

    public static RunEvent checkpointWritten(String runId, int epoch, long step, String key) {
        return new RunEvent(runId, Type.CHECKPOINT_WRITTEN, Instant.now(), epoch, step, null, null, null, key, null,
                null, null);
    }

    public static RunEvent succeeded(String runId, int epochs, long steps, double trainLoss, double testAccuracy,
            double trainingSeconds) {
        return new RunEvent(runId, Type.SUCCEEDED, Instant.now(), epochs, steps, steps, trainLoss, testAccuracy,
                null, trainingSeconds, null, null);
    }

    /** Something a researcher must see but that does not stop the run, e.g. a diverging loss. */
    public static RunEvent warning(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, Type.WARNING, Instant.now(), epoch, step, null, null, null, null, null, null,
                reason);
    }

    public static RunEvent failed(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, Type.FAILED, Instant.now(), epoch, step, null, null, null, null, null, null,
                reason);
    }
}
