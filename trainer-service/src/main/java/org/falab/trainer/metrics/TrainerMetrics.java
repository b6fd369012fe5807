package org.falab.trainer.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import ai.djl.engine.Engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The trainer's {@code falab_*} meters. Per-run meters carry run id, method and optimiser; only the run in
 * training has live gauges (one run per process), so label cardinality stays bounded.
 * <p>
 * Prometheus names (stable; dashboards and alert rules in {@code helm/falab/files/} query them):
 * {@code falab_training_loss}, {@code falab_training_test_accuracy}, {@code falab_training_examples_per_second},
 * {@code falab_training_steps_total}, {@code falab_training_step_duration_seconds},
 * {@code falab_checkpoint_write_duration_seconds}, {@code falab_checkpoint_bytes}, {@code falab_runs_finished_total{outcome}},
 * {@code falab_training_warnings_total} (WARNING events, e.g. a diverging loss),
 * {@code falab_training_step} (the run's step, the x axis of the dashboards' curves),
 * {@code falab_training_active} (1 while the run trains here, 0 after: alerts on a run's last values stop once it
 * ended), {@code falab_checkpoint_failures_total} and
 * {@code falab_trainer_engine_info{engine,version,device}} (always 1, from the first run on; the device runs really
 * train on, {@code cpu} or {@code gpu:N}).
 */
@ApplicationScoped
public class TrainerMetrics {

    private final MeterRegistry registry;
    private final AtomicReference<RunGauges> current = new AtomicReference<>();

    private static final Logger LOG = Logger.getLogger(TrainerMetrics.class);

    private final Counter warnings;
    private final Counter checkpointFailures;
    private final AtomicBoolean engineInfoRegistered = new AtomicBoolean();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.warnings = Counter.builder("falab.training.warnings")
                .description("WARNING events of runs in training (e.g. a diverging loss)").register(registry);
        // registered at startup, so that a healthy trainer exports 0 and increase() sees the first failure
        this.checkpointFailures = Counter.builder("falab.checkpoint.failures")
                .description("checkpoint writes that failed (the attempt ends; a later one resumes from an older checkpoint)")
                .register(registry);
    }

    /**
     * Logs once which engine, version and device this trainer runs on and exports it as an info gauge. Called at the
     * start of the first run, on the training thread, after the learning core has loaded the engine there: loading
     * the engine earlier on another thread (e.g. at application startup) leaves PyTorch's thread-local grad mode on
     * for the training thread, and the core's in-place parameter updates then fail ("a leaf Variable that requires
     * grad is being used in an in-place operation").
     */
    private void engineInfo(String device) {
        if (!engineInfoRegistered.compareAndSet(false, true)) {
            return;
        }
        String engine = "unavailable";
        String version = "unknown";
        try {
            Engine e = Engine.getInstance();
            engine = e.getEngineName();
            version = e.getVersion();
            LOG.infof("training engine %s %s, runs train on device %s", engine, version, device);
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "no training engine could be loaded: %s", e.getMessage());
        }
        Gauge.builder("falab.trainer.engine.info", () -> 1)
                .tags("engine", engine, "version", version, "device", device)
                .description("the deep-learning engine, its version and the device runs train on (value always 1)")
                .register(registry);
    }

    /** Counts one WARNING event (the run goes on). */
    public void trainingWarning() {
        warnings.increment();
    }

    /** The live values of the run in training. */
    public static final class RunGauges {
        volatile double trainLoss = Double.NaN;
        volatile double testAccuracy = Double.NaN;
        volatile double examplesPerSecond;
        /** The run's optimiser step (resumed runs go on from the checkpoint's step): the x axis of the curves. */
        volatile double step;
        /** 1 while this trainer trains the run, 0 once it ended here (FAILED, SUCCEEDED, CANCELLED or lost). */
        volatile double active = 1;
        final Tags tags;

        RunGauges(Tags tags) {
            this.tags = tags;
        }
    }

    public RunGauges startRun(String runId, String method, String optimizer, String device, long fromStep) {
        engineInfo(device);
        RunGauges previous = current.get();
        if (previous != null) {
            removeRunMeters(previous);
        }
        RunGauges gauges = new RunGauges(Tags.of("run_id", runId, "method", method, "optimizer", optimizer));
        gauges.step = fromStep;
        Gauge.builder("falab.training.step", gauges, g -> g.step).tags(gauges.tags)
                .description("the run's latest optimiser step (x axis of the per-step dashboard curves)")
                .register(registry);
        Gauge.builder("falab.training.active", gauges, g -> g.active).tags(gauges.tags)
                .description("1 while this trainer trains the run, 0 after it ended here").register(registry);
        Gauge.builder("falab.training.loss", gauges, g -> g.trainLoss).tags(gauges.tags)
                .description("latest training loss (mean over the last steps)").register(registry);
        Gauge.builder("falab.training.test.accuracy", gauges, g -> g.testAccuracy).tags(gauges.tags)
                .description("test accuracy at the last epoch end").register(registry);
        Gauge.builder("falab.training.examples.per.second", gauges, g -> g.examplesPerSecond).tags(gauges.tags)
                .description("training throughput").register(registry);
        current.set(gauges);
        return gauges;
    }

    public void step(RunGauges run, long step, double trainLoss, long nanos, int examples) {
        run.step = step;
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

    /** The training thread's time for one probe: its passes on the probe batch and the copies to the host. */
    public void probeRecorded(long nanos) {
        Timer.builder("falab.probe.record.duration")
                .description("training thread's time to record one probe (its writing is the snapshot writer's)")
                .register(registry).record(java.time.Duration.ofNanos(nanos));
    }

    public void checkpointWritten(long nanos, int bytes) {
        Timer.builder("falab.checkpoint.write.duration").description("time to write one checkpoint")
                .register(registry).record(java.time.Duration.ofNanos(nanos));
        registry.summary("falab.checkpoint.bytes").record(bytes);
    }

    /** A checkpoint could not be written. */
    public void checkpointFailed() {
        checkpointFailures.increment();
    }

    /** The run's attempt on this trainer ended: its gauges stay scraped (last values) but no longer active. */
    public void runEnded(RunGauges run) {
        if (run != null) {
            run.active = 0;
        }
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
