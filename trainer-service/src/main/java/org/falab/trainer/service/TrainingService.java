package org.falab.trainer.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.KafkaException;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.npy.Npy;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.learning.train.CheckpointData;
import org.falab.learning.train.EpochSummary;
import org.falab.learning.train.LayerSignal;
import org.falab.learning.train.ProbeSnapshot;
import org.falab.learning.train.StepProgress;
import org.falab.learning.train.Training;
import org.falab.learning.train.TrainingFailedException;
import org.falab.learning.train.TrainingListener;
import org.falab.learning.train.TrainingOptions;
import org.falab.learning.train.TrainingResult;
import org.falab.learning.train.TrainingStarted;
import org.falab.learning.train.TrainingStoppedException;
import org.falab.storage.ObjectStoreException;
import org.falab.trainer.config.TrainerConfig;
import org.falab.trainer.events.RunEventPublisher;
import org.falab.trainer.listener.InvalidRunRequestException;
import org.falab.trainer.listener.RunRequestParser;
import org.falab.trainer.metrics.TrainerMetrics;
import org.falab.trainer.queue.Attempt;
import org.falab.trainer.queue.Cancellations;
import org.falab.trainer.queue.Outcome;
import org.falab.trainer.storage.AttemptLedger;
import org.falab.trainer.storage.CheckpointStore;
import org.falab.trainer.storage.DurableObjectStore;
import org.falab.trainer.storage.RunDatasetSource;
import org.falab.trainer.storage.SnapshotWriter;
import org.falab.trainer.storage.UnchangedSignals;
import org.jboss.logging.Logger;

/**
 * Trains one attempt at a requested run with the learning core and turns what it reports into events, objects and
 * metrics; every way an attempt can end becomes an {@link Outcome} for the run queue. One run at a time per process:
 * DJL allows one gradient collector per JVM. A run with a checkpoint resumes from it; every event carries the
 * attempt's number, and an attempt that lost its claim publishes nothing more.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final String NPY = "application/octet-stream";

    /** Where a run request came from, for its dead letter. */
    public record Origin(String topic, int partition, long offset) {
    }

    private final RunEventPublisher events;
    private final DurableObjectStore objectStore;
    private final RunDatasetSource datasets;
    private final SnapshotWriter snapshots;
    private final TrainerMetrics metrics;
    private final RunRequestParser parser;
    private final Cancellations cancellations;
    private final CheckpointStore checkpoints;
    private final AttemptLedger ledger;
    private final TrainerConfig config;
    private final int progressEvery;

    public TrainingService(RunEventPublisher events, DurableObjectStore objectStore, RunDatasetSource datasets,
            SnapshotWriter snapshots, TrainerMetrics metrics, RunRequestParser parser, Cancellations cancellations,
            CheckpointStore checkpoints, AttemptLedger ledger, TrainerConfig config) {
        this.snapshots = snapshots;
        this.events = events;
        this.objectStore = objectStore;
        this.datasets = datasets;
        this.metrics = metrics;
        this.parser = parser;
        this.cancellations = cancellations;
        this.checkpoints = checkpoints;
        this.ledger = ledger;
        this.config = config;
        this.progressEvery = Math.max(1, config.progress().everySteps());
    }

    /** A new attempt at a run, numbered by the queue. */
    public Attempt attempt(String runId, int number) {
        return new Attempt(runId, number, cancellations);
    }

    /**
     * Takes one delivery of a run request: a record that is not a run request is dead-lettered; a cancelled run ends
     * CANCELLED without training; a run whose earlier attempts failed too often is dead-lettered and FAILED; any other
     * is trained (resumed from its latest checkpoint if it has one). Never throws: every end is an outcome.
     */
    public Outcome take(String key, String payload, Attempt attempt, Origin origin) {
        RunRequested request;
        try {
            request = parser.parse(payload);
        } catch (InvalidRunRequestException e) {
            LOG.warnf("run request %s dead-lettered: %s", key, e.getMessage());
            events.deadLetter(key, payload, e.getMessage(), origin.topic(), origin.partition(), origin.offset());
            return Outcome.FINISHED;
        }
        String runId = request.runId();
        try {
            if (ledger.hasEnded(runId)) {
                // a duplicate delivery (the request published again, or a lock that lapsed as the run ended)
                LOG.infof("run %s: ended already; the request is acknowledged without training", runId);
                return Outcome.FINISHED;
            }
            attempt.numbered(ledger.nextAttempt(runId));
            String cancelled = attempt.cancelledReason();
            if (cancelled != null) {
                LOG.infof("run %s: cancelled before it started", runId);
                events.publish(RunEvent.cancelled(runId, null, null, cancelled).withAttempt(attempt.number()));
                metrics.runFinished("cancelled");
                return Outcome.FINISHED;
            }
            Optional<CheckpointStore.Loaded> resume = checkpoints.latest(runId);
            long fromStep = resume.map(r -> r.latest().step()).orElse(0L);
            int failed = ledger.failedInARow(runId, attempt.number(), fromStep);
            if (failed >= config.queue().maxFailedAttempts()) {
                String reason = failed + " attempts in a row ended without an outcome and without getting past step "
                        + fromStep + " (the trainer died, lost the run or met a transient failure); dead-lettered,"
                        + " see runs/" + runId + "/attempts/";
                LOG.warnf("run %s: %s", runId, reason);
                events.deadLetter(key, payload, reason, origin.topic(), origin.partition(), origin.offset());
                events.publish(RunEvent.failed(runId, null, null, reason).withAttempt(attempt.number()));
                metrics.runFinished("failed");
                ledger.runEnded(runId, attempt.number(), "FAILED");
                return Outcome.FINISHED;
            }
            attempt.startedFrom(fromStep);
            ledger.started(runId, attempt.number(), fromStep);
            return train(request, attempt, resume);
        } catch (RuntimeException e) {
            if (isTransient(e)) {
                return retry(attempt, e);
            }
            throw e;
        }
    }

    /** Trains the attempt to its end; failures of the run become a FAILED event, transient ones a retry. */
    synchronized Outcome train(RunRequested request, Attempt attempt, Optional<CheckpointStore.Loaded> resume) {
        String runId = request.runId();
        RunReporter reporter = new RunReporter(request, attempt);
        try {
            resume.ifPresent(r -> reporter.resumedEpoch = r.latest().epoch());
            LOG.infof("run %s: attempt %d, %s, %s", runId, attempt.number(),
                    resume.map(r -> "resuming from step " + r.latest().step()).orElse("from the start"),
                    request.spec());
            TrainingOptions options = TrainingOptions.defaults(config.training().device())
                    .resumingFrom(resume.map(CheckpointStore.Loaded::bytes).orElse(null))
                    .checkpointingEverySteps(config.checkpoints().everySteps())
                    .checkpointingEverySeconds(config.checkpoints().every().toMillis() / 1000.0)
                    .withMemoryBudget(memoryBudget())
                    .stoppingOn(attempt::stopRequest)
                    .flushingDenormals(config.training().flushDenormals());
            TrainingResult result = Training.train(request.spec(), datasets, reporter, options);
            // every snapshot of the run is stored and announced before the run says it ended
            snapshots.flush();
            reporter.publish(RunEvent.succeeded(runId, result.epochs(), result.steps(), result.trainLoss(),
                    result.testAccuracy(), result.trainingSeconds()));
            metrics.runFinished("succeeded");
            if (attempt.owned()) {
                ledger.runEnded(runId, attempt.number(), "SUCCEEDED");
            }
            LOG.infof("run %s: succeeded, test accuracy %.4f in %.1f s", runId, result.testAccuracy(),
                    result.trainingSeconds());
            return attempt.owned() ? Outcome.FINISHED : Outcome.LOST;
        } catch (TrainingStoppedException e) {
            return stopped(reporter, e);
        } catch (TrainingFailedException e) {
            if (isTransient(e.getCause())) {
                return retry(attempt, e.getCause());
            }
            return fail(reporter, e.getMessage());
        } catch (OutOfMemoryError e) {
            // the run's own arrays are gone with its frames; the trainer goes on with the next run
            return fail(reporter, "the run ran out of memory (" + e.getMessage() + "); give it a smaller model, batch"
                    + " or probe, or the trainer more memory");
        } catch (RuntimeException | Error e) {
            if (isTransient(e)) {
                return retry(attempt, e);
            }
            LOG.errorf(e, "run %s: failed", runId);
            return fail(reporter, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            // whatever the outcome, the run no longer trains here: alerts on its last loss or steps stop
            metrics.runEnded(reporter.gauges);
        }
    }

    /** A HEARTBEAT of the attempt, sent by the queue's thread while the run trains. */
    public void heartbeat(Attempt attempt) {
        try {
            events.publishWithoutWaiting(RunEvent.heartbeat(attempt.runId(), attempt.epoch(), attempt.step(),
                    attempt.totalSteps()).withAttempt(attempt.number()));
        } catch (RuntimeException e) {
            LOG.debugf("run %s: heartbeat not sent: %s", attempt.runId(), e.getMessage());
        }
    }

    private Outcome stopped(RunReporter reporter, TrainingStoppedException e) {
        Attempt attempt = reporter.attempt;
        settleSnapshots(attempt.runId());
        if (!attempt.owned()) {
            LOG.warnf("run %s: attempt %d stopped: %s", attempt.runId(), attempt.number(), attempt.lostReason());
            ledger.ended(attempt.runId(), attempt.number(), attempt.fromStep(), Outcome.LOST.name(),
                    attempt.lostReason());
            return Outcome.LOST;
        }
        String cancelled = attempt.cancelledReason();
        if (cancelled != null) {
            LOG.infof("run %s: cancelled at step %d", attempt.runId(), e.step());
            reporter.publish(RunEvent.cancelled(attempt.runId(), e.epoch(), e.step(), cancelled));
            metrics.runFinished("cancelled");
            ledger.runEnded(attempt.runId(), attempt.number(), "CANCELLED");
            return Outcome.FINISHED;
        }
        LOG.infof("run %s: given back at step %d (%s)", attempt.runId(), e.step(), e.reason());
        ledger.ended(attempt.runId(), attempt.number(), attempt.fromStep(), AttemptLedger.GIVEN_BACK, e.reason());
        return Outcome.GIVEN_BACK;
    }

    private Outcome retry(Attempt attempt, Throwable cause) {
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        LOG.warnf("run %s: attempt %d met a transient failure, the run goes back to the queue: %s", attempt.runId(),
                attempt.number(), reason);
        settleSnapshots(attempt.runId());
        ledger.ended(attempt.runId(), attempt.number(), attempt.fromStep(), Outcome.RETRY.name(), reason);
        return Outcome.RETRY;
    }

    /** The object store or the broker failing for longer than their retries: worth another attempt later. */
    private static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ObjectStoreException && !(t instanceof org.falab.storage.MissingObjectException)
                    || t instanceof KafkaException) {
                return true;
            }
        }
        return false;
    }

    private long memoryBudget() {
        if (config.training().memoryBudgetBytes().isPresent()) {
            return config.training().memoryBudgetBytes().getAsLong();
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            // container-aware since Java 17: the pod's memory limit where there is one
            return sun.getTotalMemorySize() / 4 * 3;
        }
        return 0;
    }

    /** Waits for the snapshots the run queued, so none is written after FAILED; a failure among them is logged. */
    private void settleSnapshots(String runId) {
        try {
            snapshots.flush();
        } catch (RuntimeException e) {
            LOG.warnf("run %s: a snapshot could not be written: %s", runId, e.getMessage());
        }
    }

    private Outcome fail(RunReporter reporter, String reason) {
        settleSnapshots(reporter.runId);
        LOG.warnf("run %s: failed: %s", reporter.runId, reason);
        reporter.publish(RunEvent.failed(reporter.runId, reporter.epoch, reporter.step, reason));
        metrics.runFinished("failed");
        if (!reporter.attempt.owned()) {
            return Outcome.LOST;
        }
        ledger.runEnded(reporter.runId, reporter.attempt.number(), "FAILED");
        return Outcome.FINISHED;
    }

    /** The listener the learning core calls on the training thread. */
    private final class RunReporter implements TrainingListener {
        final String runId;
        final RunRequested request;
        final Attempt attempt;
        int resumedEpoch;
        TrainerMetrics.RunGauges gauges;
        Integer epoch;
        Long step;
        /**
         * When the learning core got the thread back from this listener: the next step's time runs from here to its
         * onStep, so a step's time never holds a probe, an evaluation, a checkpoint or an event this listener sent
         * (the core reports no step start of its own). onWarning leaves it: the core calls it inside a step.
         */
        long lastStepNanos = System.nanoTime();
        /** Matrices repeated from an earlier snapshot of this attempt are referenced, not stored again. */
        final UnchangedSignals unchanged = new UnchangedSignals();

        RunReporter(RunRequested request, Attempt attempt) {
            this.request = request;
            this.runId = request.runId();
            this.attempt = attempt;
        }

        /** Publishes an event of this attempt, unless the attempt lost the run to another. */
        void publish(RunEvent event) {
            if (attempt.owned()) {
                events.publish(event.withAttempt(attempt.number()));
            }
        }

        @Override
        public void onStart(TrainingStarted started) {
            LOG.infof("run %s: %s, device %s, %d steps, subnormals %s", runId, started.engine(), started.device(),
                    started.totalSteps(), started.subnormalsFlushed() ? "flushed to zero" : "kept");
            gauges = metrics.startRun(runId, request.spec().method().jsonName(),
                    request.spec().optimizer().jsonName(), started.device(), started.resumedFromStep());
            epoch = started.resumedFromStep() == 0 ? 0 : resumedEpoch;
            step = started.resumedFromStep();
            attempt.at(epoch, step, started.totalSteps());
            publish(RunEvent.started(runId, attempt.number(), epoch, started.resumedFromStep(), started.totalSteps(),
                    started.engine(), started.device()));
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onStep(StepProgress progress) {
            long now = System.nanoTime();
            metrics.step(gauges, progress.step(), progress.trainLoss(), now - lastStepNanos, request.spec().batchSize());
            epoch = progress.epoch();
            step = progress.step();
            attempt.at(epoch, step, progress.totalSteps());
            if (progress.step() % progressEvery == 0) {
                publish(RunEvent.progress(runId, progress.epoch(), progress.step(), progress.totalSteps(),
                        progress.trainLoss()));
            }
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onProbe(ProbeSnapshot snapshot) {
            // the core recorded the probe right after the step's onStep (or, for step 0, after onStart)
            metrics.probeRecorded(System.nanoTime() - lastStepNanos);
            // the probe's matrices are host arrays already; encoding and uploading them need not hold up training
            if (attempt.owned()) {
                snapshots.submit(() -> write(snapshot));
            }
            lastStepNanos = System.nanoTime();
        }

        private void write(ProbeSnapshot snapshot) {
            List<SnapshotRecorded.Signal> stored = new ArrayList<>();
            for (LayerSignal signal : snapshot.signals()) {
                if (!attempt.owned()) {
                    return;
                }
                String key = unchanged.storedKey(signal).orElse(null);
                if (key == null) {
                    key = ObjectKeys.snapshot(runId, snapshot.step(), signal.layer(), signal.quantity());
                    objectStore.put(key, npy(signal), NPY);
                    unchanged.stored(signal, key);
                }
                stored.add(new SnapshotRecorded.Signal(signal.layer(), signal.layerIndex(), signal.quantity(), key,
                        signal.rows(), signal.cols(), signal.layout()));
            }
            if (!attempt.owned()) {
                return;
            }
            events.publish(new SnapshotRecorded(runId, snapshot.step(), snapshot.epoch(), java.time.Instant.now(),
                    objectStore.bucket(), stored));
        }

        @Override
        public void onEpoch(EpochSummary summary) {
            metrics.epoch(gauges, summary.testAccuracy());
            publish(RunEvent.epochCompleted(runId, summary.epoch(), summary.step(), summary.totalSteps(),
                    summary.trainLoss(), summary.testAccuracy()));
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onWarning(String reason) {
            LOG.warnf("run %s: %s", runId, reason);
            metrics.trainingWarning();
            publish(RunEvent.warning(runId, epoch, step, reason));
        }

        @Override
        public void onCheckpoint(CheckpointData checkpoint) {
            if (!attempt.owned()) {
                return;
            }
            long start = System.nanoTime();
            String key;
            try {
                key = checkpoints.write(runId, checkpoint);
            } catch (RuntimeException e) {
                metrics.checkpointFailed();
                throw e;
            }
            metrics.checkpointWritten(System.nanoTime() - start, checkpoint.bytes().length);
            publish(RunEvent.checkpointWritten(runId, checkpoint.epoch(), checkpoint.step(), key));
            lastStepNanos = System.nanoTime();
        }

        private byte[] npy(LayerSignal signal) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(signal.values().length * 4 + 128);
            try {
                Npy.write(signal.values(), signal.rows(), signal.cols(), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
