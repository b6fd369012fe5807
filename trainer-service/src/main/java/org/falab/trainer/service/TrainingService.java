package org.falab.trainer.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.npy.Npy;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.learning.train.CheckpointData;
import org.falab.learning.train.LayerSignal;
import org.falab.learning.train.ProbeSnapshot;
import org.falab.learning.train.EpochSummary;
import org.falab.learning.train.StepProgress;
import org.falab.learning.train.Training;
import org.falab.learning.train.TrainingFailedException;
import org.falab.learning.train.TrainingListener;
import org.falab.learning.train.TrainingResult;
import org.falab.learning.train.TrainingStarted;
import org.falab.trainer.config.TrainerConfig;
import org.falab.storage.ObjectStore;
import org.falab.trainer.events.RunEventPublisher;
import org.falab.trainer.metrics.TrainerMetrics;
import org.falab.trainer.storage.RunDatasetSource;
import org.falab.trainer.storage.SnapshotWriter;
import org.jboss.logging.Logger;

/**
 * Trains one requested run with the learning core and turns what it reports into events, objects and metrics.
 * One run at a time per process: DJL allows one gradient collector per JVM.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final String NPY = "application/octet-stream";

    private final RunEventPublisher events;
    private final ObjectStore objectStore;
    private final RunDatasetSource datasets;
    private final SnapshotWriter snapshots;
    private final TrainerMetrics metrics;
    private final int progressEvery;
    private final String device;

    public TrainingService(RunEventPublisher events, ObjectStore objectStore, RunDatasetSource datasets,
            SnapshotWriter snapshots, TrainerMetrics metrics, TrainerConfig config) {
        this.snapshots = snapshots;
        this.events = events;
        this.objectStore = objectStore;
        this.datasets = datasets;
        this.metrics = metrics;
        this.progressEvery = Math.max(1, config.progress().everySteps());
        this.device = config.training().device();
    }

    /** Trains the run to its end; failures of the run become a FAILED event, not an exception. */
    public synchronized void train(RunRequested request) {
        String runId = request.runId();
        LOG.infof("run %s: training %s", runId, request.spec());
        RunReporter reporter = new RunReporter(request);
        try {
            TrainingResult result = Training.train(request.spec(), datasets, reporter, device);
            // every snapshot of the run is stored and announced before the run says it ended
            snapshots.flush();
            events.publish(RunEvent.succeeded(runId, result.epochs(), result.steps(), result.trainLoss(),
                    result.testAccuracy(), result.trainingSeconds()));
            metrics.runFinished("succeeded");
            LOG.infof("run %s: succeeded, test accuracy %.4f in %.1f s", runId, result.testAccuracy(),
                    result.trainingSeconds());
        } catch (TrainingFailedException e) {
            fail(reporter, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "run %s: failed", runId);
            fail(reporter, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Waits for the snapshots the run queued, so none is written after FAILED; a failure among them is logged. */
    private void settleSnapshots(String runId) {
        try {
            snapshots.flush();
        } catch (RuntimeException e) {
            LOG.warnf("run %s: a snapshot could not be written: %s", runId, e.getMessage());
        }
    }

    private void fail(RunReporter reporter, String reason) {
        settleSnapshots(reporter.runId);
        LOG.warnf("run %s: failed: %s", reporter.runId, reason);
        events.publish(RunEvent.failed(reporter.runId, reporter.epoch, reporter.step, reason));
        metrics.runFinished("failed");
    }

    /** The listener the learning core calls on the training thread. */
    private final class RunReporter implements TrainingListener {
        final String runId;
        final RunRequested request;
        TrainerMetrics.RunGauges gauges;
        Integer epoch;
        Long step;
        /**
         * When the learning core got the thread back from this listener: the next step's time runs from here to its
         * onStep, so a step's time never holds a probe, an evaluation, a checkpoint or an event this listener sent
         * (the core reports no step start of its own). onWarning leaves it: the core calls it inside a step.
         */
        long lastStepNanos = System.nanoTime();

        RunReporter(RunRequested request) {
            this.request = request;
            this.runId = request.runId();
        }

        @Override
        public void onStart(TrainingStarted started) {
            LOG.infof("run %s: %s, device %s, %d steps", runId, started.engine(), started.device(),
                    started.totalSteps());
            gauges = metrics.startRun(runId, request.spec().method().jsonName(),
                    request.spec().optimizer().jsonName(), started.device());
            events.publish(RunEvent.started(runId, started.totalSteps(), started.engine(), started.device()));
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onStep(StepProgress progress) {
            long now = System.nanoTime();
            metrics.step(gauges, progress.trainLoss(), now - lastStepNanos, request.spec().batchSize());
            epoch = progress.epoch();
            step = progress.step();
            if (progress.step() % progressEvery == 0) {
                events.publish(RunEvent.progress(runId, progress.epoch(), progress.step(), progress.totalSteps(),
                        progress.trainLoss()));
            }
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onProbe(ProbeSnapshot snapshot) {
            // the probe's matrices are host arrays already; encoding and uploading them need not hold up training
            snapshots.submit(() -> write(snapshot));
            lastStepNanos = System.nanoTime();
        }

        private void write(ProbeSnapshot snapshot) {
            List<SnapshotRecorded.Signal> stored = new ArrayList<>();
            for (LayerSignal signal : snapshot.signals()) {
                String key = ObjectKeys.snapshot(runId, snapshot.step(), signal.layer(), signal.quantity());
                objectStore.put(key, npy(signal), NPY);
                stored.add(new SnapshotRecorded.Signal(signal.layer(), signal.layerIndex(), signal.quantity(), key,
                        signal.rows(), signal.cols(), signal.layout()));
            }
            events.publish(new SnapshotRecorded(runId, snapshot.step(), snapshot.epoch(), java.time.Instant.now(),
                    objectStore.bucket(), stored));
        }

        @Override
        public void onEpoch(EpochSummary summary) {
            metrics.epoch(gauges, summary.testAccuracy());
            events.publish(RunEvent.epochCompleted(runId, summary.epoch(), summary.step(), summary.totalSteps(),
                    summary.trainLoss(), summary.testAccuracy()));
            lastStepNanos = System.nanoTime();
        }

        @Override
        public void onWarning(String reason) {
            LOG.warnf("run %s: %s", runId, reason);
            metrics.trainingWarning();
            events.publish(RunEvent.warning(runId, epoch, step, reason));
        }

        @Override
        public void onCheckpoint(CheckpointData checkpoint) {
            long start = System.nanoTime();
            String key = ObjectKeys.checkpoint(runId, checkpoint.epoch());
            objectStore.putAtomically(ObjectKeys.checkpointInProgress(runId, checkpoint.epoch()), key,
                    checkpoint.bytes(), "application/zip");
            metrics.checkpointWritten(System.nanoTime() - start, checkpoint.bytes().length);
            events.publish(RunEvent.checkpointWritten(runId, checkpoint.epoch(), checkpoint.step(), key));
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
