package org.falab.contracts.events;

import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#RUN_EVENTS}, key = runId: the life of a run, written by trainers
 * ({@code docs/events/run-event.schema.json}). Fields that do not apply to a type are null.
 *
 * @param engine STARTED: the engine, its version and device, e.g. {@code PyTorch 2.7.1 on cpu()}
 * @param device STARTED: the device every array of the run lives on, {@code cpu} or {@code gpu:N}
 */
public record RunEvent(
        @JsonProperty(required = true) @NotBlank(message = "is required") String runId,
        @JsonProperty(required = true) @NotNull(message = "is required") RunEventType type,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant time,
        @PositiveOrZero(message = "must be at least 0") Integer epoch,
        @PositiveOrZero(message = "must be at least 0") Long step,
        @PositiveOrZero(message = "must be at least 0") Long totalSteps,
        Double trainLoss,
        @DecimalMin(value = "0", message = "must be at least 0") @DecimalMax(value = "1", message = "must be at most 1")
        Double testAccuracy,
        String checkpointKey,
        @PositiveOrZero(message = "must be at least 0") Double trainingSeconds,
        String engine,
        String device,
        String reason) {

    public static RunEvent started(String runId, long totalSteps, String engine, String device) {
        return new RunEvent(runId, RunEventType.STARTED, Instant.now(), 0, 0L, totalSteps, null, null, null, null,
                engine, device, null);
    }

    public static RunEvent progress(String runId, int epoch, long step, long totalSteps, double trainLoss) {
        return new RunEvent(runId, RunEventType.PROGRESS, Instant.now(), epoch, step, totalSteps, trainLoss, null,
                null, null, null, null, null);
    }

    public static RunEvent epochCompleted(String runId, int epoch, long step, long totalSteps, double trainLoss,
            double testAccuracy) {
        return new RunEvent(runId, RunEventType.EPOCH_COMPLETED, Instant.now(), epoch, step, totalSteps, trainLoss,
                testAccuracy, null, null, null, null, null);
    }

    public static RunEvent checkpointWritten(String runId, int epoch, long step, String key) {
        return new RunEvent(runId, RunEventType.CHECKPOINT_WRITTEN, Instant.now(), epoch, step, null, null, null, key,
                null, null, null, null);
    }

    public static RunEvent succeeded(String runId, int epochs, long steps, double trainLoss, double testAccuracy,
            double trainingSeconds) {
        return new RunEvent(runId, RunEventType.SUCCEEDED, Instant.now(), epochs, steps, steps, trainLoss,
                testAccuracy, null, trainingSeconds, null, null, null);
    }

    /** Something a researcher must see but that does not stop the run, e.g. a diverging loss. */
    public static RunEvent warning(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, RunEventType.WARNING, Instant.now(), epoch, step, null, null, null, null, null,
                null, null, reason);
    }

    public static RunEvent failed(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, RunEventType.FAILED, Instant.now(), epoch, step, null, null, null, null, null,
                null, null, reason);
    }
}
