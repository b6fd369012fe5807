package org.falab.gateway.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.SnapshotRecorded;

/**
 * An immutable copy of what the registry knows about one run.
 *
 * @param spec        null while the RunRequested has not been seen (events can come first)
 * @param submittedAt null while the RunRequested has not been seen
 * @param firstSeen   submittedAt if known, else the time of the first event seen; orders the list of runs
 * @param startedAt   the time of the trainer's STARTED event, else null
 * @param finishedAt  the time of the SUCCEEDED or FAILED event, else null
 * @param reason      why the run FAILED, else null
 * @param checkpoints object keys, in the order they were written
 * @param snapshots   one per probe step, by step
 * @param analysis    one per (step, layer, quantity), by step then layer index
 * @param warnings    the trainer's WARNING events, by time
 * @param alignment   one per (step, layer), by step then layer index
 * @param sweepId     the sweep the run is a cell of, else null
 * @param cell        the run's sweep values, else null
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
        List<SnapshotRecorded> snapshots,
        List<AnalysisResult> analysis,
        List<Warning> warnings,
        List<AlignmentResult> alignment,
        String sweepId,
        Map<String, Object> cell) {

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
}
