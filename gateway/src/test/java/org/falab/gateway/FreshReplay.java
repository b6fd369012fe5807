package org.falab.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.CommonClientConfigs;
import org.falab.contracts.events.Topics;
import org.falab.gateway.messaging.ReplayConsumer;
import org.falab.gateway.messaging.ReplayListener;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.service.GatewayMetrics;
import org.falab.localstack.LocalStackResource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What a restarted (or a second) gateway sees: the production replay ({@link ReplayConsumer} and
 * {@link ReplayListener}, its own group, read_committed) into a fresh registry, on the test broker.
 */
public final class FreshReplay implements AutoCloseable {

    private final RunRegistry registry;
    private final ReplayConsumer consumer;

    private FreshReplay(RunRegistry registry) {
        this.registry = registry;
        ReplayListener listener = new ReplayListener(registry, new GatewayMetrics(new SimpleMeterRegistry(),
                registry));
        this.consumer = new ReplayConsumer(new ReplayConsumer.Settings(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers()),
                "falab-gateway-test-" + UUID.randomUUID(), Topics.REPLAYED, Duration.ofMillis(200),
                Duration.ofSeconds(10), Duration.ofMillis(200)), listener::onRecord);
    }

    /** Starts a replay into a fresh registry with the default limits; {@link #close()} stops it. */
    public static FreshReplay start() {
        return start(new RunRegistry());
    }

    public static FreshReplay start(RunRegistry registry) {
        return create(registry).begin();
    }

    /** A replay into {@code registry} that has not started reading yet. */
    public static FreshReplay create(RunRegistry registry) {
        return new FreshReplay(registry);
    }

    public FreshReplay begin() {
        consumer.start();
        return this;
    }

    /** Waits until the replay caught up with the end offsets it saw when it started. */
    public FreshReplay awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!consumer.progress().caughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the replay did not catch up within " + timeout + ": "
                        + consumer.progress().remaining() + " offsets behind");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return this;
    }

    public RunRegistry registry() {
        return registry;
    }

    public ReplayConsumer consumer() {
        return consumer;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
