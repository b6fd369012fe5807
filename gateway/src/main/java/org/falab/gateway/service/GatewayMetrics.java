package org.falab.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

import org.falab.gateway.RunState;
import org.falab.gateway.messaging.ReplayProgress;
import org.falab.gateway.registry.RunRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.Startup;

/**
 * Every {@code falab_*} meter of the gateway (Prometheus names):
 * <ul>
 *   <li>{@code falab_runs_submitted_total}: runs accepted and acknowledged by Kafka;</li>
 *   <li>{@code falab_runs_rejected_total}: run specs answered with 400;</li>
 *   <li>{@code falab_runs{state}}: runs in the registry by state ({@code state="QUEUED"} is the queue depth);</li>
 *   <li>{@code falab_oldest_queued_run_age_seconds}: how long the oldest QUEUED run has waited (0 when none);</li>
 *   <li>{@code falab_replay_records_skipped_total{topic}}: malformed records the replay skipped;</li>
 *   <li>{@code falab_runs_cancel_requested_total}: runs cancelled through this gateway (RunCancellation
 *   acknowledged);</li>
 *   <li>{@code falab_idempotent_replays_total{endpoint}}: submissions answered with the run or sweep an earlier
 *   request with the same Idempotency-Key created;</li>
 *   <li>{@code falab_gateway_replay_catch_up_seconds}: how long the replay took to reach the end offsets it saw at
 *   startup (NaN until then).</li>
 * </ul>
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry meters;
    private final Counter submitted;
    private final Counter rejected;
    private final Counter cancelRequested;

    public GatewayMetrics(MeterRegistry meters, RunRegistry registry) {
        this.meters = meters;
        this.submitted = Counter.builder("falab.runs.submitted")
                .description("Runs accepted and acknowledged by Kafka").register(meters);
        this.rejected = Counter.builder("falab.runs.rejected")
                .description("Run specs rejected as invalid (HTTP 400)").register(meters);
        this.cancelRequested = Counter.builder("falab.runs.cancel.requested")
                .description("Runs cancelled through this gateway").register(meters);
        for (RunState state : RunState.values()) {
            Gauge.builder("falab.runs", registry, r -> r.countByState().get(state))
                    .description("Runs known to this gateway, by state")
                    .tag("state", state.name())
                    .register(meters);
        }
        // the queue seen from the broker's records, so it exists (and grows) while no trainer runs: KEDA scales the
        // trainers from zero on falab_runs, the alerts watch how long the oldest run waits
        TimeGauge.builder("falab.oldest.queued.run.age", registry, TimeUnit.SECONDS,
                        r -> r.oldestQueuedAge().toNanos() / 1e9)
                .description("How long the oldest QUEUED run has waited for a trainer (0 when none is queued)")
                .register(meters);
    }

    public void runSubmitted() {
        submitted.increment();
    }

    public void runRejected() {
        rejected.increment();
    }

    public void cancelRequested() {
        cancelRequested.increment();
    }

    /** A submission answered with what an earlier one with the same Idempotency-Key created. */
    public void idempotentReplay(String endpoint) {
        meters.counter("falab.idempotent.replays", "endpoint", endpoint).increment();
    }

    /** Publishes the replay's catch-up time. */
    public void replay(ReplayProgress progress) {
        TimeGauge.builder("falab.gateway.replay.catch.up", progress,
                        TimeUnit.SECONDS, p -> p.caughtUp() ? p.catchUpTime().toNanos() / 1e9 : Double.NaN)
                .description("Time the replay took to reach the end offsets seen at startup")
                .register(meters);
    }

    public void recordSkipped(String topic) {
        meters.counter("falab.replay.records.skipped", "topic", topic).increment();
    }

    public double skippedRecords() {
        return meters.find("falab.replay.records.skipped").counters().stream().mapToDouble(Counter::count).sum();
    }
}
