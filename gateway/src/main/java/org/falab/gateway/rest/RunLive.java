package org.falab.gateway.rest;

import java.util.List;

import org.falab.gateway.registry.Run;

/**
 * One event of {@code GET /api/v1/runs/{id}/events}: the whole run as {@code GET /api/v1/runs/{id}} answers it, and
 * its train loss and test accuracy by step, so that every event is complete on its own (a client that joins late or
 * misses one loses nothing).
 */
public record RunLive(RunResponse run, List<Run.MetricPoint> metrics) {
}
