package org.falab.gateway.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;

/**
 * An immutable copy of what the registry knows about one run, as of the moment it was taken (STALLED depends on the
 * clock).
 *
 * @param state            see {@link RunState}; STALLED, CANCELLING and a CANCELLED that no trainer reported are
 *                         derived from the records and the clock when the copy is taken
 * @param reason           why the run FAILED or was CANCELLED (the trainer's reason), else null
 * @param spec             null while the RunRequested has not been seen (events can come first)
 * @param submittedAt      null while the RunRequested has not been seen
 * @param firstSeen        submittedAt if known, else the time of the first record seen; orders the list of runs
 * @param startedAt        the time of the current attempt's STARTED event, else null
 * @param finishedAt       the time of the SUCCEEDED, FAILED or CANCELLED event, else null
 * @param checkpoints      object keys, in the order they were written (the newest ones, see
 *                         {@link RunRegistry.Limits#maxCheckpoints()})
 * @param snapshots        one per probe step, by step (downsampled, see {@link StepSeries})
 * @param analysis         one per (step, layer, quantity), by step then layer index (downsampled by step)
 * @param warnings         the trainer's WARNING events, by time (the newest ones)
 * @param alignment        one per (step, layer), by step then layer index (downsampled by step)
 * @param sweepId          the sweep the run is a cell of, else null
 * @param cell             the run's sweep values, else null
 * @param attempt          the newest attempt a trainer reported (from 1), null before any trainer event
 * @param resumedFromStep  the step the current attempt resumed from (its STARTED), 0 for a fresh start, else null
 * @param lastHeartbeatAt  the time of the current attempt's latest event (HEARTBEAT or any other), else null
 * @param stalledSince     lastHeartbeatAt while the run is STALLED, else null
 * @param cancelRequestedAt when the run was first cancelled (its RunCancellation), else null
 * @param owner            who submitted it (their token's subject); null while the RunRequested has not been seen or
 *                         when it is from before authentication (only admins may then change it)
 * @param project          the project it belongs to (who may read it); {@code default} for a run whose
 *                         RunRequested named none or has not been seen
 * @param attempts         the trainers' attempts at the run, oldest first (the newest
 *                         {@link RunRegistry#MAX_ATTEMPTS})
 */
public record Run(
        String id,
        RunState state,
        String reason,
        RunSpec spec,
        Instant submittedAt,
        Instant firstSeen,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Progress progress,
        Metrics metrics,
        List<String> checkpoints,
        List<Snapshot> snapshots,
        List<AnalysisResult> analysis,
        List<Warning> warnings,
        List<AlignmentResult> alignment,
        String sweepId,
        Map<String, Object> cell,
        Integer attempt,
        Long resumedFromStep,
        Instant lastHeartbeatAt,
        Instant stalledSince,
        Instant cancelRequestedAt,
        String owner,
        String project,
        List<Attempt> attempts) {

    /**
     * One trainer's attempt at the run.
     *
     * @param number          from 1, as the trainer numbers them
     * @param startedAt       its STARTED event's time, null while none was seen
     * @param resumedFromStep the checkpoint step it resumed from, 0 for a fresh start, null before its STARTED
     * @param device          where it trained ({@code cpu}, {@code gpu:N}), null before its STARTED
     * @param ended           null while it is the run's current attempt and the run is open; the terminal state
     *                        (SUCCEEDED, FAILED, CANCELLED) for the attempt that ended the run; {@code REPLACED}
     *                        when a newer attempt took the run: the trainer gave it back (shutdown) or lost it
     *                        (its lock lapsed), which the broker's records do not tell apart
     * @param endedAt         the time of the terminal event or of the newer attempt's first event, else null
     */
    public record Attempt(int number, Instant startedAt, Long resumedFromStep, String device, String ended,
            Instant endedAt) {

        /** {@link #ended()} of an attempt a newer one took over from. */
        public static final String REPLACED = "REPLACED";
    }

    /** A WARNING event of the trainer (e.g. a diverging loss). */
    public record Warning(Instant time, Long step, String reason) {
    }

    /** How far the trainer got; every field null until a trainer said so. */
    public record Progress(Integer epoch, Long step, Long totalSteps) {
    }

    /**
     * The latest metrics the trainer reported; every field null until a trainer said so.
     *
     * @param device the device the run trains on ({@code cpu}, {@code gpu:N}), from its STARTED event
     */
    public record Metrics(Double trainLoss, Double testAccuracy, Double trainingSeconds, String engine, String device) {
    }

    /**
     * The train loss and test accuracy the trainer reported at one step; either is null when no event of that
     * step carried it (trainers send the loss with PROGRESS, the accuracy with EPOCH_COMPLETED).
     */
    public record MetricPoint(long step, Integer epoch, Double trainLoss, Double testAccuracy, Instant time) {

        /** {@code previous} (may be null) with what a newer event of the same step said. */
        static MetricPoint merge(MetricPoint previous, long step, Integer epoch, Double trainLoss,
                Double testAccuracy, Instant time) {
            if (previous == null) {
                return new MetricPoint(step, epoch, trainLoss, testAccuracy, time);
            }
            return new MetricPoint(step, epoch != null ? epoch : previous.epoch(),
                    trainLoss != null ? trainLoss : previous.trainLoss(),
                    testAccuracy != null ? testAccuracy : previous.testAccuracy(),
                    time != null ? time : previous.time());
        }
    }

    /** One probe step of the run: where its matrices are (the object keys of its signals, in their order). */
    public record Snapshot(long step, int epoch, Instant time, String bucket, List<String> keys) {
    }
}
