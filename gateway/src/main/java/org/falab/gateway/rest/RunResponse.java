package org.falab.gateway.rest;

import java.time.Instant;
import java.util.List;

import org.falab.gateway.RunSpec;
import org.falab.gateway.RunState;
import org.falab.gateway.registry.Run;

/**
 * Answer to {@code GET /api/v1/runs/{id}}.
 *
 * @param spec   null when only the trainer's events for the run have been seen so far
 * @param reason why the run FAILED, else null
 */
public record RunResponse(
        String id,
        RunState state,
        String reason,
        RunSpec spec,
        Instant submittedAt,
        Instant updatedAt,
        Run.Progress progress,
        Run.Metrics metrics,
        List<String> checkpoints,
        List<SnapshotView> snapshots,
        List<AnalysisView> analysis) {

    /** One probe step: where its matrices are. */
    public record SnapshotView(long step, int epoch, Instant time, String bucket, List<String> keys) {
    }

    /** One effective-rank measurement. */
    public record AnalysisView(long step, int epoch, String layer, int layerIndex, String quantity,
            double effectiveRank, int singularValueCount, int rows, int cols, int nearZeroRows, Instant time) {
    }
}
