package org.falab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gateway's HTTP API as the CLI uses it. {@link HttpGateway} is the real one; tests pass their own.
 * Every method throws {@link GatewayException} when the gateway cannot be reached or refuses the request.
 */
public interface Gateway {

    /** {@code POST /api/v1/runs}: the accepted answer ({@code id}, ...). */
    JsonNode submitRun(ObjectNode spec) throws InterruptedException;

    /** {@code GET /api/v1/runs/{id}}: the run view. */
    JsonNode run(String id) throws InterruptedException;

    /**
     * {@code GET /api/v1/runs/{id}/metrics}: the run's history {@code [{step, epoch, trainLoss, testAccuracy,
     * time}]} by step (reproduce's accuracy-over-epochs figure).
     */
    JsonNode metrics(String id) throws InterruptedException;

    /** {@code GET /api/v1/runs?limit=N}: the run summaries, newest first; {@code limit} null for the gateway's all. */
    JsonNode runs(Integer limit) throws InterruptedException;

    /**
     * {@code POST /api/v1/runs/{id}/cancel} with {@code {"reason": ...}} ({@code reason} null: no body): the run
     * view, CANCELLED or CANCELLING.
     */
    JsonNode cancelRun(String id, String reason) throws InterruptedException;

    /** {@code POST /api/v1/sweeps}: the accepted answer ({@code id}, {@code runs[]{id, cell}}). */
    JsonNode submitSweep(ObjectNode body) throws InterruptedException;

    /** {@code GET /api/v1/sweeps/{id}}: the sweep view ({@code id, state, runs[], groups[]}). */
    JsonNode sweep(String id) throws InterruptedException;

    /** Where this gateway is, for messages. */
    String location();
}
