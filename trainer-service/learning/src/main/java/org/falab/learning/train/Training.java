package org.falab.learning.train;

import org.falab.contracts.json.FieldViolation;
import org.falab.contracts.spec.RunSpecChecks;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.Augmentation;
import org.falab.learning.data.Batch;
import org.falab.learning.data.DataSplits;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.data.Datasets;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.convert.ModelBuilder;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.models.Network;
import org.falab.learning.models.SoftmaxCrossEntropy;
import org.falab.learning.optim.Gradients;
import org.falab.learning.optim.LearningRateSchedule;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.learning.probes.ErrorSignalProbe;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one training from a {@link RunSpec} on the CPU in float32, reporting through a {@link
 * TrainingListener}. One training at a time per JVM: DJL allows a single open gradient collector.
 */
public final class Training {

    private static final Logger LOG = LoggerFactory.getLogger(Training.class);
    private static final DataType TYPE = DataType.FLOAT32;

    private Training() {}

    /**
     * Trains the spec's model on the spec's dataset.
     *
     * @throws TrainingFailedException on an invalid spec, unreadable data, a NaN or infinite loss,
     *     or an engine error
     */
    public static TrainingResult train(RunSpec spec, DatasetSource source, TrainingListener listener)
            throws TrainingFailedException {
        return train(spec, source, listener, "auto");
    }

    /**
     * Trains on the device a setting names ({@link TrainingDevice}: {@code auto}, {@code cpu}, {@code gpu},
     * {@code gpu:N}); a GPU the engine does not have fails the run with that reason.
     *
     * @throws TrainingFailedException as {@link #train(RunSpec, DatasetSource, TrainingListener)}, and for a device
     *     this machine does not have
     */
    public static TrainingResult train(RunSpec spec, DatasetSource source, TrainingListener listener, String device)
            throws TrainingFailedException {
        long started = System.nanoTime();
        try {
            List<FieldViolation> violations = RunSpecChecks.violations(spec);
            if (!violations.isEmpty()) {
                throw new TrainingFailedException("invalid run spec: " + violations.stream()
                        .map(FieldViolation::toString).collect(java.util.stream.Collectors.joining("; ")));
            }
        } catch (jakarta.validation.ValidationException e) {
            throw new TrainingFailedException("cannot check the run spec: " + e.getMessage(), e);
        }
        DataSplits data;
        try {
            data = Datasets.load(spec, source);
        } catch (IOException | RuntimeException e) {
            throw new TrainingFailedException("cannot load dataset " + spec.dataset().jsonName() + ": " + e.getMessage(), e);
        }
        if (data.train().size() == 0) {
            throw new TrainingFailedException("dataset " + spec.dataset().jsonName() + " has no training examples");
        }

        Engine engine = Engine.getInstance();
        Device onDevice = TrainingDevice.resolve(device, engine);
        // we draw all our own randomness from Seeds; this covers anything the engine draws itself
        engine.setRandomSeed((int) (spec.seed() ^ (spec.seed() >>> 32)));
        try (NDManager manager = NDManager.newBaseManager(onDevice)) {
            String engineName = engine.getEngineName() + " " + engine.getVersion() + " on " + manager.getDevice();
            return new Run(spec, data, listener, manager, engineName, started).execute();
        }
    }

    /** State of one training; lives for the duration of {@link #train}. */
    private static final class Run {
        private final RunSpec spec;
        private final DataSplits data;
        private final TrainingListener listener;
        private final NDManager manager;
        private final String engineName;
        private final long startedNanos;
        private final int stepsPerEpoch;
        private final long totalSteps;

        Run(RunSpec spec, DataSplits data, TrainingListener listener, NDManager manager, String engineName,
                long startedNanos) {
            this.spec = spec;
            this.data = data;
            this.listener = listener;
            this.manager = manager;
            this.engineName = engineName;
            this.startedNanos = startedNanos;
            this.stepsPerEpoch = (data.train().size() + spec.batchSize() - 1) / spec.batchSize();
            this.totalSteps = (long) stepsPerEpoch * spec.epochs();
        }

        TrainingResult execute() throws TrainingFailedException {
            int inputs = data.train().featureCount();
            Network network;
            try {
                network = ModelBuilder.build(spec, ModelBuilder.inputShape(spec.dataset()), data.train().classCount(),
                        TensorFactory.seeded(manager, TYPE, spec.seed())).network();
            } catch (IllegalArgumentException e) {
                throw new TrainingFailedException("cannot build model " + spec.model().jsonName() + ": " + e.getMessage(), e);
            }
            // built here, outside every step scope, so its state is never closed by one
            Optimizer optimizer = Optimizers.create(spec, network);
            LearningRateSchedule schedule = LearningRateSchedule.of(spec, stepsPerEpoch);
            DivergenceDetector divergence = DivergenceDetector.standard(engineCall(0, () -> headNorm(network)));
            try (ErrorSignalProbe probe =
                    ErrorSignalProbe.fixed(data.train(), spec.probeSize(), spec.seed(), manager, TYPE)) {
                listener.onStart(new TrainingStarted(engineName, TrainingDevice.name(manager.getDevice()), totalSteps,
                        data.train().size(), data.test().size()));
                long step = 0;
                double epochLoss = Double.NaN;
                double accuracy = Double.NaN;
                for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                    int[] order = Seeds.permutation(data.train().size(), Seeds.stream(spec.seed(), "shuffle/epoch-" + epoch));
                    double lossSum = 0;
                    for (int b = 0; b < stepsPerEpoch; b++) {
                        int from = b * spec.batchSize();
                        int to = Math.min(data.train().size(), from + spec.batchSize());
                        step++;
                        schedule.apply(optimizer, step);
                        boolean probeStep = step % spec.probeEvery() == 0 || step == totalSteps;
                        Map<String, float[]> weightsBefore =
                                probeStep ? engineCall(step, () -> UpdateProbe.weights(network)) : null;
                        double loss = trainStep(network, optimizer, order, from, to, step);
                        if (!divergence.fired()) {
                            double norm = engineCall(step, () -> headNorm(network));
                            divergence.observe(step, loss, norm).ifPresent(reason -> {
                                LOG.warn("{}", reason);
                                listener.onWarning(reason);
                            });
                        }
                        lossSum += loss;
                        listener.onStep(new StepProgress(epoch, step, totalSteps, loss));
                        if (probeStep) {
                            List<LayerSignal> signals = engineCall(step, () -> probe.record(network, spec.probeLayout().jsonName()));
                            signals = new ArrayList<>(signals);
                            signals.addAll(engineCall(step, () -> UpdateProbe.updates(network, weightsBefore)));
                            listener.onProbe(new ProbeSnapshot(epoch, step, signals));
                        }
                    }
                    epochLoss = lossSum / stepsPerEpoch;
                    long atStep = step;
                    accuracy = engineCall(step, () -> Evaluation.accuracy(network, data.test(), manager, TYPE));
                    listener.onEpoch(new EpochSummary(epoch, step, totalSteps, epochLoss, accuracy));
                    int finishedEpoch = epoch;
                    byte[] checkpoint = engineCall(step, () -> {
                        try {
                            return Checkpoints.write(spec, finishedEpoch, atStep, engineName, data.standardisation(),
                                    inputs, network, optimizer);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    listener.onCheckpoint(new CheckpointData(epoch, step, checkpoint));
                    LOG.debug("epoch {} step {} loss {} accuracy {}", epoch, step, epochLoss, accuracy);
                }
                double seconds = (System.nanoTime() - startedNanos) / 1e9;
                return new TrainingResult(accuracy, epochLoss, step, spec.epochs(), seconds, engineName);
            }
        }

        private double trainStep(Network network, Optimizer optimizer, int[] order, int from, int to, long step)
                throws TrainingFailedException {
            Augmentation augmentation = Datasets.augmentation(spec, data.standardisation());
            return Training.step(manager, network, optimizer, data.train(), order, from, to, step, augmentation,
                    augmentation == null ? null : Seeds.stream(spec.seed(), "augment/step-" + step));
        }
    }

    /**
     * One update on rows {@code order[from..to)}: forward, backward (the network's hand-written one where it has
     * one, else autograd's after zeroing the gradients), check the loss, update. Every intermediate array lives in a
     * scope closed before it returns.
     *
     * @return the batch loss before the update
     */
    static double step(NDManager manager, Network network, Optimizer optimizer, LabelledExamples train, int[] order,
            int from, int to, long step) throws TrainingFailedException {
        return step(manager, network, optimizer, train, order, from, to, step, null, null);
    }

    /** As above, the batch augmented by {@code augmentation} (if set) with draws from {@code rng}. */
    static double step(NDManager manager, Network network, Optimizer optimizer, LabelledExamples train, int[] order,
            int from, int to, long step, Augmentation augmentation, java.util.SplittableRandom rng)
            throws TrainingFailedException {
        try (NDScope scope = new NDScope()) {
            Batch batch = engineCall(step, () -> Batch.of(manager, train, order, from, to, TYPE, augmentation, rng));
            var exact = engineCall(step, () -> network.exactLossGradients(batch.inputs(), batch.targets()));
            double loss;
            Gradients gradients;
            if (exact.isPresent()) {
                loss = engineCall(step, () -> (double) exact.get().loss().getFloat());
                gradients = Gradients.byName(exact.get().gradients());
            } else {
                loss = engineCall(step, () -> {
                    optimizer.zeroGradients();
                    NDArray lossArray;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        lossArray = SoftmaxCrossEntropy.mean(network.forward(batch.inputs(), Pass.train()),
                                batch.targets());
                        collector.backward(lossArray);
                    }
                    return (double) lossArray.getFloat();
                });
                gradients = Gradients.AUTOGRAD;
            }
            // checked before the update, so a non-finite loss never reaches the weights
            LossCheck.requireFinite(loss, step);
            engineCall(step, () -> {
                optimizer.step(gradients);
                return null;
            });
            return loss;
        }
    }

    /** Frobenius norm of the head's (last layer's) weight, for {@link DivergenceDetector}. */
    static double headNorm(Network network) {
        var layers = network.layers();
        for (var p : layers.get(layers.size() - 1).parameters()) {
            if (p.kind() == org.falab.learning.layers.Parameter.Kind.WEIGHT) {
                try (NDScope scope = new NDScope()) {
                    return p.array().norm().getFloat();
                }
            }
        }
        return 0;
    }

    private interface EngineCall<T> {
        T call();
    }

    /** Runs engine work, turning the engine's unchecked failures into a failed run that names the step. */
    private static <T> T engineCall(long step, EngineCall<T> call) throws TrainingFailedException {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw new TrainingFailedException("engine error at step " + step + ": " + e, e);
        }
    }
}
