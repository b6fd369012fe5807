package org.falab.contracts.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.spec.RunSpec;

/**
 * Topic {@link Topics#RUN_REQUESTS}, key = runId ({@code docs/events/run-requested.schema.json}): a run the gateway
 * accepted, with every field of its spec resolved.
 *
 * @param sweepId the sweep this run is a cell of, else null
 * @param cell    the sweep values of this run (the variant's fields and the grid's values), field -> value, else null
 * @param idempotencyKey the client's {@code Idempotency-Key} of the submission (of the run, or of its sweep), else null
 * @param requestHash    SHA-256 (hex) of the submitted body, set with idempotencyKey: a retry with the same key and
 *                       another body is refused
 * @param owner          the submitter: the subject of their token; null on records from before authentication
 *                       (only admins may then change the run)
 * @param project        the project the run belongs to (who may read it); null on records from before
 *                       authentication, read as {@link org.falab.contracts.auth.Claims#DEFAULT_PROJECT}
 */
public record RunRequested(
        @JsonProperty(required = true) @NotNull(message = "is required")
        @Pattern(regexp = RunRequested.RUN_ID_PATTERN, message = "must match " + RunRequested.RUN_ID_PATTERN)
        String runId,
        @JsonProperty(required = true) @NotNull(message = "is required") @Valid RunSpec spec,
        @JsonProperty(required = true) @NotNull(message = "is required") Instant submittedAt,
        String sweepId,
        Map<String, Object> cell,
        @Size(max = 255, message = "must have at most 255 characters") String idempotencyKey,
        @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be 64 lowercase hex characters") String requestHash,
        @Size(max = 255, message = "must have at most 255 characters") String owner,
        @Pattern(regexp = org.falab.contracts.auth.Claims.PROJECT_PATTERN,
                message = "must match " + org.falab.contracts.auth.Claims.PROJECT_PATTERN) String project) {

    /** Run ids: lowercase letters, digits and dashes; the gateway makes {@code run-} plus 12 hex characters. */
    public static final String RUN_ID_PATTERN = "^[a-z0-9][a-z0-9-]{2,63}$";

    public RunRequested {
        cell = cell == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(cell));
    }

    /** A run submitted on its own, not as part of a sweep, by no one in particular (tests, old records). */
    public RunRequested(String runId, RunSpec spec, Instant submittedAt) {
        this(runId, spec, submittedAt, null, null, null, null, null, null);
    }

    /** A cell of a sweep, without an idempotency key or an owner. */
    public RunRequested(String runId, RunSpec spec, Instant submittedAt, String sweepId, Map<String, Object> cell) {
        this(runId, spec, submittedAt, sweepId, cell, null, null, null, null);
    }

    /** Without an owner or a project, as records from before authentication are. */
    public RunRequested(String runId, RunSpec spec, Instant submittedAt, String sweepId, Map<String, Object> cell,
            String idempotencyKey, String requestHash) {
        this(runId, spec, submittedAt, sweepId, cell, idempotencyKey, requestHash, null, null);
    }
}
