package org.falab.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.gateway.registry.Run;

/**
 * Answer to {@code GET /api/v1/runs/{id}}.
 *
 * @param state      QUEUED, RUNNING, STALLED, CANCELLING, SUCCEEDED, FAILED or CANCELLED
 * @param spec       null when only the trainer's events for the run have been seen so far
 * @param startedAt  when the trainer's current attempt sent STARTED (after loading the engine and the data, before
 *                   its first step)
 * @param finishedAt when the trainer sent SUCCEEDED, FAILED or CANCELLED
 * @param reason    why the run FAILED or was CANCELLED (the trainer's words), else null
 * @param warnings  the trainer's WARNING events ({@code time, step, reason}), by time
 * @param alignment alignment results received, by step then layer
 * @param sweepId   the sweep the run is a cell of, else null
 * @param cell      the run's sweep values, else null
 * @param attempt   the trainers' newest attempt at the run (from 1; a run taken again after its trainer died is a
 *                  new attempt), null before a trainer reported
 * @param resumedFromStep the checkpoint step the current attempt resumed from, 0 for a fresh start, null before
 *                  its STARTED
 * @param lastHeartbeatAt the time of the current attempt's newest event, null before a trainer reported
 * @param stalledSince    while STALLED: the time of the last heartbeat; else null
 * @param cancelRequestedAt when the run was cancelled, else null
 * @param owner     who submitted it (their token's subject); null for a run from before authentication
 * @param project   the project it belongs to
 * @param attempts  the trainers' attempts at the run, oldest first: number, startedAt, resumedFromStep, device, how
 *                  it ended (null while current, REPLACED when a newer attempt took the run, else the terminal state)
 */
public record RunResponse(
        String id,
        RunState state,
        String reason,
        RunSpec spec,
        Instant submittedAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Run.Progress progress,
        Run.Metrics metrics,
        List<String> checkpoints,
        List<SnapshotView> snapshots,
        List<AnalysisView> analysis,
        List<Run.Warning> warnings,
        List<AlignmentView> alignment,
        String sweepId,
        Map<String, Object> cell,
        Integer attempt,
        Long resumedFromStep,
        Instant lastHeartbeatAt,
        Instant stalledSince,
        Instant cancelRequestedAt,
        String owner,
        String project,
        List<Run.Attempt> attempts) {

    /** One alignment measurement of a layer at a probe step; degrees, null where a figure does not apply. */
    public record AlignmentView(long step, int epoch, String layer, int layerIndex, Double errorSignalAngleToBp,
            Double weightFeedbackAngle, Double feedbackToWeightNormRatio, Instant time) {
    }

    /** One probe step: where its matrices are. */
    public record SnapshotView(long step, int epoch, Instant time, String bucket, List<String> keys) {
    }

    /** One effective-rank measurement. */
    public record AnalysisView(long step, int epoch, String layer, int layerIndex, String quantity,
            double effectiveRank, int singularValueCount, int rows, int cols, int nearZeroRows, Instant time) {
    }
}
