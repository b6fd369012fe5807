package org.falab.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.service.GatewayMetrics;

/**
 * Reports how many runs the replay has rebuilt and how many malformed records it skipped. Always UP: skipping is
 * the designed behaviour; Kafka's own readiness check (quarkus.kafka.health.enabled) covers the broker.
 */
@Liveness
@ApplicationScoped
public class RunRegistryHealthCheck implements HealthCheck {

    private final RunRegistry registry;
    private final GatewayMetrics metrics;

    public RunRegistryHealthCheck(RunRegistry registry, GatewayMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run-registry")
                .up()
                .withData("runs", registry.size())
                .withData("skippedRecords", (long) metrics.skippedRecords())
                .build();
    }
}
