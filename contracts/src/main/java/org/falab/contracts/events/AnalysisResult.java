package org.falab.contracts.events;

import java.time.Instant;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#ANALYSIS_RESULTS}, key = runId ({@code docs/events/analysis-result.schema.json}): the
 * effective rank of one probe matrix, one per (run, step, layer, quantity).
 *
 * @param quantity           one of {@link Quantities#RANKED}
 * @param effectiveRank      Roy-Vetterli effective rank; 0 for an all-zero matrix
 * @param singularValueCount min(rows, cols)
 * @param nearZeroRows       rows with norm below 1e-6 times the largest row norm (saturation shows here)
 * @param time               when the analysis finished
 */
public record AnalysisResult(
        @JsonProperty(required = true) @NotBlank(message = "is required") String runId,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") long step,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int epoch,
        @JsonProperty(required = true) @NotNull(message = "is required") String layer,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int layerIndex,
        @JsonProperty(required = true) @NotNull(message = "is required")
        @Pattern(regexp = Quantities.RANKED_PATTERN, message = "must be one of " + Quantities.RANKED_TEXT)
        String quantity,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") double effectiveRank,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int singularValueCount,
        @JsonProperty(required = true) @Min(value = 1, message = "must be at least 1") int rows,
        @JsonProperty(required = true) @Min(value = 1, message = "must be at least 1") int cols,
        @JsonProperty(required = true) @PositiveOrZero(message = "must be at least 0") int nearZeroRows,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant time) {
}
