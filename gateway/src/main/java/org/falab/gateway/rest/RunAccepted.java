package org.falab.gateway.rest;

import java.time.Instant;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;

/**
 * Answer to {@code POST /api/v1/runs}: the new run's id, QUEUED, and the spec with every default resolved. A retry
 * with the same Idempotency-Key gets the same fields, its state being the run's state now.
 */
public record RunAccepted(String id, RunState state, Instant submittedAt, RunSpec spec) {
}
