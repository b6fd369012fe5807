package org.falab.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's own settings (prefix {@code falab.gateway}). Kafka, HTTP and the rest are plain Quarkus keys in
 * application.properties.
 */
@ConfigMapping(prefix = "falab.gateway")
public interface GatewayConfig {

    /**
     * How long {@code POST /api/v1/runs} waits for the broker to acknowledge the RunRequested before it answers
     * 503. Keep it above the producer's {@code delivery.timeout.ms} so a nack normally arrives first.
     */
    @WithDefault("10s")
    Duration publishTimeout();

    /** How many runs {@code GET /api/v1/runs} returns when the caller does not say. */
    @WithDefault("100")
    int listLimit();

    /** Prefix of generated run ids; the rest is 12 lowercase hex characters. */
    @WithDefault("run-")
    String runIdPrefix();

    /** Sweeps ({@code POST /api/v1/sweeps}). */
    Sweep sweep();

    interface Sweep {

        /** Most runs (cells) one sweep may create; a bigger sweep answers 400. */
        @WithDefault("200")
        int maxRuns();

        /** Prefix of generated sweep ids; the rest is 12 lowercase hex characters. */
        @WithDefault("sweep-")
        String idPrefix();
    }
}
