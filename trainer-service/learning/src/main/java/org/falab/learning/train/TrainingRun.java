package org.falab.learning.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.checkpoint.ResumeState;
import org.falab.learning.convert.ModelBuilder;
import org.falab.learning.data.Augmentation;
import org.falab.learning.data.DataSplits;
import org.falab.learning.data.Datasets;
import org.falab.learning.data.DeviceExamples;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.models.Network;
import org.falab.learning.optim.LearningRateSchedule;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.learning.probes.ErrorSignalProbe;
import org.falab.learning.spec.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training from its first remaining step (the first, or the one after its checkpoint) to its end or a requested
 * stop; lives for the duration of {@link Training#train}. Everything a step computes is a function of the spec, the
 * seed, the step number and the state a checkpoint holds ({@link ResumeState} and the tensors), which is what makes a
 * resumed run take exactly the steps of the run straight through.
 */
final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    private final RunSpec spec;
    private final DataSplits data;
    private final TrainingListener listener;
    private final TrainingOptions options;
    private final Resume resume;
    private final NDManager manager;
    private final String engineName;
    private final boolean subnormalsFlushed;
    private final long startedNanos;
    private final int stepsPerEpoch;
    private final long totalSteps;

    private Network network;
    private Optimizer optimizer;
    private LearningRateSchedule schedule;
    private DivergenceDetector divergence;
    private ErrorSignalProbe probe;
    /** The training examples on the run's device; null for augmented data, whose batches are cut in Java. */
    private DeviceExamples trainOnDevice;
    private Augmentation augmentation;
    private long lastCheckpointNanos;

    TrainingRun(RunSpec spec, DataSplits data, TrainingListener listener, TrainingOptions options, Resume resume,
            NDManager manager, String engineName, boolean subnormalsFlushed, long startedNanos) {
        this.spec = spec;
        this.data = data;
        this.listener = listener;
        this.options = options;
        this.resume = resume;
        this.manager = manager;
        this.engineName = engineName;
        this.subnormalsFlushed = subnormalsFlushed;
        this.startedNanos = startedNanos;
        this.stepsPerEpoch = (data.train().size() + spec.batchSize() - 1) / spec.batchSize();
        this.totalSteps = (long) stepsPerEpoch * spec.epochs();
    }

    TrainingResult execute() throws TrainingFailedException, TrainingStoppedException {
        if (resume != null) {
            resume.checkFits(data, stepsPerEpoch, totalSteps);
        }
        TensorFactory tensors = resume == null ? TensorFactory.seeded(manager, Training.TYPE, spec.seed())
                : TensorFactory.restored(manager, Training.TYPE, resume.checkpoint().tensors());
        try {
            network = ModelBuilder.build(spec, ModelBuilder.inputShape(spec.dataset()), data.train().classCount(),
                    tensors).network();
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException((resume == null ? "cannot build model " + spec.model().jsonName()
                    : "cannot restore the checkpoint's model") + ": " + e.getMessage(), e);
        }
        // built here, outside every step scope, so its state is never closed by one
        optimizer = Optimizers.create(spec, network);
        schedule = LearningRateSchedule.of(spec, stepsPerEpoch);
        if (resume == null) {
            divergence = DivergenceDetector.standard(Training.engineCall(0, () -> Training.headNorm(network)));
        } else {
            try {
                Checkpoints.restoreOptimizer(resume.checkpoint(), optimizer);
                divergence = DivergenceDetector.standard(resume.state().divergence());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new TrainingFailedException("cannot restore the checkpoint's training state: " + e.getMessage(),
                        e);
            }
        }
        augmentation = Datasets.augmentation(spec, data.standardisation());
        try (ErrorSignalProbe fixedProbe =
                ErrorSignalProbe.fixed(data.train(), spec.probeSize(), spec.seed(), manager, Training.TYPE);
                DeviceExamples onDevice = augmentation != null ? null
                        : Training.engineCall(0, () -> DeviceExamples.of(data.train(), manager, Training.TYPE))) {
            probe = fixedProbe;
            trainOnDevice = onDevice;
            listener.onStart(new TrainingStarted(engineName, TrainingDevice.name(manager.getDevice()), totalSteps,
                    data.train().size(), data.test().size(), resume == null ? 0 : resume.step(), subnormalsFlushed));
            return epochs();
        }
    }

    /** The remaining epochs, the first of them from where the checkpoint (if any) left it. */
    private TrainingResult epochs() throws TrainingFailedException, TrainingStoppedException {
        long step = 0;
        int firstEpoch = 1;
        int firstBatch = 0;
        double lossSum = 0;
        if (resume != null) {
            ResumeState r = resume.state();
            step = resume.step();
            if (r.epochEnd()) {
                firstEpoch = r.epoch() + 1;
            } else {
                // the same epoch, from its next batch (none left if the checkpoint preceded its evaluation)
                firstEpoch = r.epoch();
                firstBatch = r.stepInEpoch();
                lossSum = r.epochLossSum();
            }
        }
        double epochLoss = Double.NaN;
        double accuracy = Double.NaN;
        lastCheckpointNanos = System.nanoTime();
        if (spec.probeAtStart() && resume == null) {
            probeUntrained();
        }
        for (int epoch = firstEpoch; epoch <= spec.epochs(); epoch++) {
            if (epoch > firstEpoch) {
                lossSum = 0;
            }
            // a function of seed and epoch: a resumed run shuffles its epoch as the run straight through did
            int[] order = Seeds.permutation(data.train().size(), Seeds.stream(spec.seed(), "shuffle/epoch-" + epoch));
            for (int b = epoch == firstEpoch ? firstBatch : 0; b < stepsPerEpoch; b++) {
                step++;
                lossSum += step(epoch, step, order, b);
                Optional<StopRequest> stop = options.stop().check();
                if (stop.isPresent()) {
                    if (stop.get().checkpointFirst()) {
                        checkpoint(epoch, step, b + 1, false, lossSum);
                    }
                    throw stopped(stop.get(), epoch, step, stop.get().checkpointFirst());
                }
                if (b + 1 < stepsPerEpoch && intervalCheckpointDue(step)) {
                    checkpoint(epoch, step, b + 1, false, lossSum);
                }
            }
            epochLoss = lossSum / stepsPerEpoch;
            long atStep = step;
            accuracy = Training.engineCall(step, () -> Evaluation.accuracy(network, data.test(), manager, Training.TYPE));
            listener.onEpoch(new EpochSummary(epoch, atStep, totalSteps, epochLoss, accuracy));
            checkpoint(epoch, step, stepsPerEpoch, true, lossSum);
            LOG.debug("epoch {} step {} loss {} accuracy {}", epoch, step, epochLoss, accuracy);
            if (epoch < spec.epochs()) {
                Optional<StopRequest> stop = options.stop().check();
                if (stop.isPresent()) {
                    // the epoch's checkpoint is of this step: nothing is lost whatever the request asked
                    throw stopped(stop.get(), epoch, step, true);
                }
            }
        }
        if (firstEpoch > spec.epochs()) {
            // resumed from the last epoch's end: nothing left to train, report what the run ended with
            epochLoss = resume.state().epochLossSum() / stepsPerEpoch;
            long atStep = step;
            accuracy = Training.engineCall(atStep,
                    () -> Evaluation.accuracy(network, data.test(), manager, Training.TYPE));
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingResult(accuracy, epochLoss, step, spec.epochs(), seconds, engineName);
    }

    /** Step {@code step}, batch {@code b} of its epoch, with its callbacks; returns its loss. */
    private double step(int epoch, long step, int[] order, int b) throws TrainingFailedException {
        int from = b * spec.batchSize();
        int to = Math.min(data.train().size(), from + spec.batchSize());
        Training.engineCall(step, () -> {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(spec.seed(), step));
            return null;
        });
        schedule.apply(optimizer, step);
        boolean probeStep = step % spec.probeEvery() == 0 || step == totalSteps;
        Map<String, float[]> weightsBefore =
                probeStep ? Training.engineCall(step, () -> UpdateProbe.weights(network)) : null;
        double loss = trainOnDevice != null
                ? Training.step(network, optimizer, () -> trainOnDevice.batch(order, from, to), step)
                : Training.step(manager, network, optimizer, data.train(), order, from, to, step, augmentation,
                        Seeds.stream(spec.seed(), "augment/step-" + step));
        if (!divergence.fired()) {
            double norm = Training.engineCall(step, () -> Training.headNorm(network));
            divergence.observe(step, loss, norm).ifPresent(reason -> {
                LOG.warn("{}", reason);
                listener.onWarning(reason);
            });
        }
        listener.onStep(new StepProgress(epoch, step, totalSteps, loss));
        if (probeStep) {
            List<LayerSignal> signals =
                    Training.engineCall(step, () -> probe.record(network, spec.probeLayout().jsonName()));
            signals = new ArrayList<>(signals);
            signals.addAll(Training.engineCall(step, () -> UpdateProbe.updates(network, weightsBefore)));
            listener.onProbe(new ProbeSnapshot(epoch, step, signals));
        }
        return loss;
    }

    /**
     * Step 0 (epoch 0), before any update: the error signal, BP's and the activity of the initial weights, so every
     * curve over training starts at the untrained network. No update probe: nothing was applied yet.
     */
    private void probeUntrained() throws TrainingFailedException {
        Training.engineCall(0, () -> {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(spec.seed(), 0));
            return null;
        });
        List<LayerSignal> signals = Training.engineCall(0, () -> probe.record(network, spec.probeLayout().jsonName()));
        listener.onProbe(new ProbeSnapshot(0, 0, signals));
    }

    /** After a step that does not end its epoch (whose end writes a checkpoint anyway). */
    private boolean intervalCheckpointDue(long step) {
        if (options.checkpointEverySteps() > 0 && step % options.checkpointEverySteps() == 0) {
            return true;
        }
        return options.checkpointEverySeconds() > 0
                && System.nanoTime() - lastCheckpointNanos >= options.checkpointEverySeconds() * 1e9;
    }

    /** Writes and hands over a checkpoint of the state after {@code step}. */
    private void checkpoint(int epoch, long step, int stepInEpoch, boolean epochEnd, double lossSum)
            throws TrainingFailedException {
        ResumeState state = new ResumeState(epoch, stepInEpoch, epochEnd, lossSum, divergence.state());
        byte[] bytes = Training.engineCall(step, () -> {
            try {
                return Checkpoints.write(spec, epoch, step, engineName, data.standardisation(),
                        data.train().featureCount(), network, optimizer, state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        listener.onCheckpoint(new CheckpointData(epoch, step, bytes, epochEnd));
        // counted from here: the time interval is of training, not of writing checkpoints
        lastCheckpointNanos = System.nanoTime();
    }

    private static TrainingStoppedException stopped(StopRequest request, int epoch, long step,
            boolean checkpointed) {
        LOG.info("stopping after step {}: {}", step, request.reason());
        return new TrainingStoppedException(request.reason(), epoch, step, checkpointed);
    }
}
