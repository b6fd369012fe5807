package org.falab.analysis.events;

import java.time.Instant;

/**
 * Topic {@code falab.alignment-results}, key = runId: one per (run, step, layer) with a complete pair of matrices.
 * Contract: {@code docs/events/alignment-result.schema.json}. A figure that does not apply or is not defined is
 * null (and is written as JSON null, never left out).
 *
 * @param errorSignalAngleToBp      degrees between the flattened error signal of the run's rule and the BP one
 * @param weightFeedbackAngle       degrees between flattened W and B
 * @param feedbackToWeightNormRatio |B|_F / |W|_F
 * @param time                      when the analysis finished
 */
public record AlignmentResult(String runId, long step, long epoch, String layer, int layerIndex,
                             Double errorSignalAngleToBp, Double weightFeedbackAngle,
                             Double feedbackToWeightNormRatio, Instant time) {
}
