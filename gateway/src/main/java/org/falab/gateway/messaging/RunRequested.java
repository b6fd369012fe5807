package org.falab.gateway.messaging;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.falab.gateway.RunSpec;

/**
 * Topic falab.run-requests (docs/events/run-requested.schema.json).
 *
 * @param sweepId the sweep this run is a cell of, else null
 * @param cell    the sweep values of this run (the variant's fields and the grid's values), field -> value, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequested(String runId, RunSpec spec, Instant submittedAt, String sweepId, Map<String, Object> cell) {

    public RunRequested {
        cell = cell == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cell));
    }

    /** A run submitted on its own, not as part of a sweep. */
    public RunRequested(String runId, RunSpec spec, Instant submittedAt) {
        this(runId, spec, submittedAt, null, null);
    }
}
