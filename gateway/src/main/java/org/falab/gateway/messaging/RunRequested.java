package org.falab.gateway.messaging;

import java.time.Instant;

import org.falab.gateway.RunSpec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Topic falab.run-requests (docs/events/run-requested.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequested(String runId, RunSpec spec, Instant submittedAt) {
}
