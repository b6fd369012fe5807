package org.falab.contracts.events;

import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#RUN_EVENTS}, key = runId: the life of a run, written by trainers
 * ({@code docs/events/run-event.schema.json}). Fields that do not apply to a type are null.
 *
 * @param engine STARTED: the engine, its version and device, e.g. {@code PyTorch 2.7.1 on cpu()}
 * @param device STARTED: the device every array of the run lives on, {@code cpu} or {@code gpu:N}
 * @param attempt which attempt at the run wrote the event, from 1; a run taken again after its trainer died or gave
 *     it back is a new attempt, and consumers ignore the events of every attempt older than the newest they saw
 * @param resumedFromStep STARTED: the step of the checkpoint this attempt resumed from, 0 for a fresh start
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
        String reason,
        @Min(value = 1, message = "must be at least 1") Integer attempt,
        @PositiveOrZero(message = "must be at least 0") Long resumedFromStep) {

    public static RunEvent started(String runId, long totalSteps, String engine, String device) {
        return started(runId, 1, 0, 0, totalSteps, engine, device);
    }

    /** Attempt {@code attempt} took the run, resuming at {@code resumedFromStep} (0: from the start). */
    public static RunEvent started(String runId, int attempt, int epoch, long resumedFromStep, long totalSteps,
            String engine, String device) {
        return new RunEvent(runId, RunEventType.STARTED, Instant.now(), epoch, resumedFromStep, totalSteps, null,
                null, null, null, engine, device, null, attempt, resumedFromStep);
    }

    /** The attempt is alive and training; a run whose heartbeats stop is shown STALLED. */
    public static RunEvent heartbeat(String runId, Integer epoch, Long step, Long totalSteps) {
        return new RunEvent(runId, RunEventType.HEARTBEAT, Instant.now(), epoch, step, totalSteps, null, null, null,
                null, null, null, null, null, null);
    }

    /** The run was stopped because someone cancelled it. Terminal. */
    public static RunEvent cancelled(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, RunEventType.CANCELLED, Instant.now(), epoch, step, null, null, null, null, null,
                null, null, reason, null, null);
    }

    public static RunEvent progress(String runId, int epoch, long step, long totalSteps, double trainLoss) {
        return new RunEvent(runId, RunEventType.PROGRESS, Instant.now(), epoch, step, totalSteps, trainLoss, null,
                null, null, null, null, null, null, null);
    }

    public static RunEvent epochCompleted(String runId, int epoch, long step, long totalSteps, double trainLoss,
            double testAccuracy) {
        return new RunEvent(runId, RunEventType.EPOCH_COMPLETED, Instant.now(), epoch, step, totalSteps, trainLoss,
                testAccuracy, null, null, null, null, null, null, null);
    }

    public static RunEvent checkpointWritten(String runId, int epoch, long step, String key) {
        return new RunEvent(runId, RunEventType.CHECKPOINT_WRITTEN, Instant.now(), epoch, step, null, null, null, key,
                null, null, null, null, null, null);
    }

    public static RunEvent succeeded(String runId, int epochs, long steps, double trainLoss, double testAccuracy,
            double trainingSeconds) {
        return new RunEvent(runId, RunEventType.SUCCEEDED, Instant.now(), epochs, steps, steps, trainLoss,
                testAccuracy, null, trainingSeconds, null, null, null, null, null);
    }

    /** Something a researcher must see but that does not stop the run, e.g. a diverging loss. */
    public static RunEvent warning(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, RunEventType.WARNING, Instant.now(), epoch, step, null, null, null, null, null,
                null, null, reason, null, null);
    }

    public static RunEvent failed(String runId, Integer epoch, Long step, String reason) {
        return new RunEvent(runId, RunEventType.FAILED, Instant.now(), epoch, step, null, null, null, null, null,
                null, null, reason, null, null);
    }

    /** The same event, written by attempt {@code number} of the run. */
    public RunEvent withAttempt(int number) {
        return new RunEvent(runId, type, time, epoch, step, totalSteps, trainLoss, testAccuracy, checkpointKey,
                trainingSeconds, engine, device, reason, number, resumedFromStep);
    }

    /** True for the types that end a run: SUCCEEDED, FAILED, CANCELLED. */
    @JsonIgnore
    public boolean isTerminal() {
        return type.isTerminal();
    }
}
