package org.falab.analysis.events;

import java.time.Instant;

/**
 * Topic {@code falab.analysis-results}, key = runId: one per (run, step, layer, quantity).
 * Contract: {@code docs/events/analysis-result.schema.json}.
 *
 * @param effectiveRank      Roy-Vetterli effective rank; 0 for an all-zero matrix
 * @param singularValueCount min(rows, cols)
 * @param nearZeroRows       rows with norm below 1e-6 times the largest row norm
 * @param time               when the analysis finished
 */
public record AnalysisResult(String runId, long step, long epoch, String layer, int layerIndex, String quantity,
                             double effectiveRank, int singularValueCount, int rows, int cols, int nearZeroRows,
                             Instant time) {
}
