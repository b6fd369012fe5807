package org.falab.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.falab.gateway.messaging.ReplayProgress;
import org.falab.gateway.messaging.ReplayService;

/**
 * DOWN until the replay has caught up with the end offsets it saw at startup: before that the view misses runs, so
 * a GET could answer 404 for a run that exists and an idempotent retry could create a second run. A load balancer
 * sends no traffic to a gateway until it is ready.
 */
@Readiness
@ApplicationScoped
public class ReplayReadinessCheck implements HealthCheck {

    static final String NAME = "replay";

    private final ReplayService replay;

    public ReplayReadinessCheck(ReplayService replay) {
        this.replay = replay;
    }

    @Override
    public HealthCheckResponse call() {
        return of(replay.progress(), replay.applied());
    }

    /** The check's answer for a replay that got this far. */
    public static HealthCheckResponse of(ReplayProgress progress, long applied) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(progress.caughtUp())
                .withData("caughtUp", progress.caughtUp())
                .withData("recordsApplied", applied)
                .withData("partitions", progress.partitions());
        if (progress.caughtUp()) {
            response.withData("catchUpSeconds", progress.catchUpTime().toMillis() / 1000.0 + "");
        } else {
            response.withData("offsetsBehind", progress.remaining());
        }
        return response.build();
    }
}
