package org.falab.gateway.config;

import java.time.Duration;
import java.util.List;

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

    /**
     * {@code GET /api/v1/runs/{id}/events} sends a run's changes at most this often: records that arrive within it
     * go out as one event (the web page's curves need no more than a few frames a second).
     */
    @WithDefault("250ms")
    Duration liveInterval();

    /**
     * How long a presigned download URL of {@code GET /api/v1/runs/{id}/downloads} works: short, as anyone holding
     * the URL may fetch the object until then.
     */
    @WithDefault("5m")
    Duration downloadUrlTtl();

    /** Prefix of generated run ids; the rest is 12 lowercase hex characters. */
    @WithDefault("run-")
    String runIdPrefix();

    /** Sweeps ({@code POST /api/v1/sweeps}). */
    Sweep sweep();

    /** The replay of the topics into the view. */
    Replay replay();

    interface Sweep {

        /** Most runs (cells) one sweep may create; a bigger sweep answers 400. */
        @WithDefault("200")
        int maxRuns();

        /** Prefix of generated sweep ids; the rest is 12 lowercase hex characters. */
        @WithDefault("sweep-")
        String idPrefix();

        /**
         * Prefix of the transactional id of the producer that writes a sweep's runs in one transaction; this
         * instance's id follows it. Unique per instance, so two gateways never fence each other.
         */
        @WithDefault("falab-gateway-sweeps-")
        String transactionalIdPrefix();

        /**
         * How long the sweep producer may block for the broker (starting a transaction, metadata, a request); it
         * gives up after this and the sweep answers 503. Keep it below {@code publish-timeout}.
         */
        @WithDefault("3s")
        Duration kafkaTimeout();
    }

    interface Replay {

        /** The replay consumer's group: unique to this instance, it never commits, so every start reads it all. */
        @WithDefault("falab-gateway-${quarkus.uuid}")
        String groupId();

        /** The topics replayed into the view (Topics.REPLAYED). */
        @WithDefault("falab.run-requests,falab.run-cancellations,falab.run-events,falab.snapshots,"
                + "falab.analysis-results,falab.alignment-results")
        List<String> topics();

        /** Longest wait of one poll. */
        @WithDefault("500ms")
        Duration pollTimeout();

        /** Longest wait for the partitions, end offsets and positions the readiness check needs. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Pause before trying again when the broker is away. */
        @WithDefault("1s")
        Duration retryBackoff();
    }
}
