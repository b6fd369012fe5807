package org.falab.contracts.events;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Topic {@link Topics#RUN_CANCELLATIONS}, key = runId ({@code docs/events/run-cancellation.schema.json}): someone
 * asked for a run to stop, written by the gateway. Trainers read the whole topic (it is compacted): a run they are
 * training stops within one step and ends CANCELLED; a queued run they take is never started.
 *
 * @param sweepId set when the run was cancelled with its sweep
 * @param reason  who or what cancelled it, shown with the CANCELLED event
 */
public record RunCancellation(
        @JsonProperty(required = true) @NotNull(message = "is required")
        @Pattern(regexp = RunRequested.RUN_ID_PATTERN, message = "must match " + RunRequested.RUN_ID_PATTERN)
        String runId,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant requestedAt,
        String sweepId,
        @Size(max = 1000, message = "must have at most 1000 characters") String reason) {
}
