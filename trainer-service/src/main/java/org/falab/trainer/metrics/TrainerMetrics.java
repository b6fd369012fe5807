package org.falab.trainer.metrics;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The trainer's {@code falab_*} meters. Per-run meters carry run id, method and optimiser; only the run in
 * training has live gauges (one run per process), so label cardinality stays bounded.
 */
@ApplicationScoped
public class TrainerMetrics {

    private final MeterRegistry registry;
    private final AtomicReference<RunGauges> current = new AtomicReference<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The live values of the run in training. */
    public static final class RunGauges {
        volatile double trainLoss = Double.NaN;
        volatile double testAccuracy = Double.NaN;
        volatile double examplesPerSecond;
        final Tags tags;

        RunGauges(Tags tags) {
            this.tags = tags;
        }
    }

    public RunGauges startRun(String runId, String method, String optimizer) {
        RunGauges previous = current.get();
        if (previous != null) {
            removeRunMeters(previous);
        }
        RunGauges gauges = new RunGauges(Tags.of("run_id", runId, "method", method, "optimizer", optimizer));
        Gauge.builder("falab.training.loss", gauges, g -> g.trainLoss).tags(gauges.tags)
                .description("latest training loss (mean over the last steps)").register(registry);
        Gauge.builder("falab.training.test.accuracy", gauges, g -> g.testAccuracy).tags(gauges.tags)
                .description("test accuracy at the last epoch end").register(registry);
        Gauge.builder("falab.training.examples.per.second", gauges, g -> g.examplesPerSecond).tags(gauges.tags)
                .description("training throughput").register(registry);
        current.set(gauges);
        return gauges;
    }

    public void step(RunGauges run, double trainLoss, long nanos, int examples) {
        run.trainLoss = trainLoss;
        run.examplesPerSecond = nanos > 0 ? examples * 1e9 / nanos : 0;
        Counter.builder("falab.training.steps").tags(run.tags).description("optimiser steps taken")
                .register(registry).increment();
        Timer.builder("falab.training.step.duration").tags(run.tags).description("time of one training step")
                .register(registry).record(java.time.Duration.ofNanos(nanos));
    }

    public void epoch(RunGauges run, double testAccuracy) {
        run.testAccuracy = testAccuracy;
    }

    public void checkpointWritten(long nanos, int bytes) {
        Timer.builder("falab.checkpoint.write.duration").description("time to write one checkpoint")
                .register(registry).record(java.time.Duration.ofNanos(nanos));
        registry.summary("falab.checkpoint.bytes").record(bytes);
    }

    public void runFinished(String outcome) {
        Counter.builder("falab.runs.finished").tag("outcome", outcome).description("runs this trainer finished")
                .register(registry).increment();
    }

    /** Drops every meter of a finished run when the next one starts: bounded labels, last run still scraped. */
    private void removeRunMeters(RunGauges gauges) {
        registry.getMeters().stream()
                .filter(m -> gauges.tags.stream().allMatch(t -> t.getValue().equals(m.getId().getTag(t.getKey()))))
                .toList()
                .forEach(registry::remove);
    }
}
