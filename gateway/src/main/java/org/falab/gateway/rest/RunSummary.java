package org.falab.gateway.rest;

import java.time.Instant;

import org.falab.gateway.RunState;
import org.falab.gateway.registry.Run;

/** One line of {@code GET /api/v1/runs}. */
public record RunSummary(
        String id,
        RunState state,
        String dataset,
        String method,
        String optimizer,
        Instant submittedAt,
        Instant updatedAt,
        Run.Progress progress,
        Double testAccuracy) {
}
