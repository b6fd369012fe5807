package org.falab.contracts.events;

import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#ALIGNMENT_RESULTS}, key = runId ({@code docs/events/alignment-result.schema.json}): one per
 * (run, step, layer) with a complete pair of matrices. A figure that does not apply or is not defined is null, and
 * is written as JSON null, never left out.
 *
 * @param errorSignalAngleToBp      degrees between the flattened error signal of the run's rule and the BP one
 * @param weightFeedbackAngle       degrees between flattened W and B
 * @param feedbackToWeightNormRatio |B|_F / |W|_F
 * @param time                      when the analysis finished
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AlignmentResult(
        @JsonProperty(required = true) @NotBlank(message = "is required") String runId,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") long step,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int epoch,
        @JsonProperty(required = true) @NotNull(message = "is required") String layer,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int layerIndex,
        @JsonProperty(required = true)
        @DecimalMin(value = "0", message = "must be at least 0") @DecimalMax(value = "180", message = "must be at most 180")
        Double errorSignalAngleToBp,
        @JsonProperty(required = true)
        @DecimalMin(value = "0", message = "must be at least 0") @DecimalMax(value = "180", message = "must be at most 180")
        Double weightFeedbackAngle,
        @JsonProperty(required = true) @DecimalMin(value = "0", message = "must be at least 0")
        Double feedbackToWeightNormRatio,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant time) {
}
