package org.falab.gateway.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Topic falab.alignment-results (docs/events/alignment-result.schema.json): one per (run, step, layer). Angles in
 * degrees; a figure that does not apply is null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlignmentResult(
        String runId,
        long step,
        int epoch,
        String layer,
        int layerIndex,
        Double errorSignalAngleToBp,
        Double weightFeedbackAngle,
        Double feedbackToWeightNormRatio,
        Instant time) {
}
