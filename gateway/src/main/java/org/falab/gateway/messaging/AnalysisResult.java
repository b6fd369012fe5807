package org.falab.gateway.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Topic falab.analysis-results (docs/events/analysis-result.schema.json): one per (run, step, layer, quantity).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnalysisResult(
        String runId,
        long step,
        int epoch,
        String layer,
        int layerIndex,
        String quantity,
        double effectiveRank,
        int singularValueCount,
        int rows,
        int cols,
        int nearZeroRows,
        Instant time) {
}
