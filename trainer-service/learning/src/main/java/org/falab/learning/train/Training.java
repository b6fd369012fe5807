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
import java.util.List;
import org.falab.learning.data.Augmentation;
import org.falab.learning.data.Batch;
import org.falab.learning.data.DataSplits;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.data.DeviceExamples;
import org.falab.learning.data.Datasets;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Pass;
import org.falab.learning.models.Network;
import org.falab.learning.models.SoftmaxCrossEntropy;
import org.falab.learning.optim.Gradients;
import org.falab.learning.optim.Optimizer;
import org.falab.contracts.spec.RunSpec;

/**
 * Runs one training from a {@link RunSpec} on the CPU in float32, reporting through a {@link
 * TrainingListener}. One training at a time per JVM: DJL allows a single open gradient collector.
 */
public final class Training {

    /** Every run's element type. */
    static final DataType TYPE = DataType.FLOAT32;

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
        try {
            return train(spec, source, listener, TrainingOptions.defaults(device));
        } catch (TrainingStoppedException e) {
            throw new IllegalStateException("a run whose stop signal never asks was stopped", e);
        }
    }

    /**
     * Trains with the given options (null: {@link TrainingOptions#defaults} on {@code auto}): on their device, from
     * their checkpoint if they have one (the remaining steps are then those of the run straight through, and on CPU
     * end with bit-identical parameters), with their interval checkpoints and memory budget, until the run ends or
     * their stop signal asks.
     *
     * <p>After every step and its callbacks the stop signal is asked; a request with {@code checkpointFirst} gets a
     * checkpoint of that step ({@code onCheckpoint}, not an epoch end) before the run stops, one without stops at
     * once. It is asked again after each epoch's end but the last, whose checkpoint then serves.
     *
     * @throws TrainingFailedException as {@link #train(RunSpec, DatasetSource, TrainingListener, String)}, for a
     *     checkpoint that cannot resume this run (unreadable, of another spec or other data, without resume state),
     *     and for a run whose memory estimate exceeds the budget (before its model is built)
     * @throws TrainingStoppedException when the stop signal asked; the listener has seen every event of the steps
     *     taken
     */
    public static TrainingResult train(RunSpec spec, DatasetSource source, TrainingListener listener,
            TrainingOptions options) throws TrainingFailedException, TrainingStoppedException {
        long started = System.nanoTime();
        options = options == null ? TrainingOptions.defaults("auto") : options;
        try {
            List<FieldViolation> violations = RunSpecChecks.violations(spec);
            if (!violations.isEmpty()) {
                throw new TrainingFailedException("invalid run spec: " + violations.stream()
                        .map(FieldViolation::toString).collect(java.util.stream.Collectors.joining("; ")));
            }
        } catch (jakarta.validation.ValidationException e) {
            throw new TrainingFailedException("cannot check the run spec: " + e.getMessage(), e);
        }
        // the thread's modes before its first engine operation: the engine's worker threads start with them
        Engine engine = Engine.getInstance();
        GradMode.offOnThisThread();
        boolean subnormalsFlushed = options.flushDenormals() && FlushDenormals.onThisThread();
        // read before the data, so a checkpoint of another run fails at once
        Resume resume = options.resumeFrom() == null ? null : Resume.read(options.resumeFrom(), spec);
        DataSplits data;
        try {
            data = Datasets.load(spec, source);
        } catch (IOException | RuntimeException e) {
            throw new TrainingFailedException("cannot load dataset " + spec.dataset().jsonName() + ": " + e.getMessage(), e);
        }
        if (data.train().size() == 0) {
            throw new TrainingFailedException("dataset " + spec.dataset().jsonName() + " has no training examples");
        }
        if (options.memoryBudgetBytes() > 0) {
            long needed = TrainingMemory.estimateBytes(spec, data.train().size(), data.test().size(),
                    data.train().featureCount());
            if (needed > options.memoryBudgetBytes()) {
                throw new TrainingFailedException("needs about " + TrainingMemory.mebibytes(needed)
                        + " MiB, the budget is " + TrainingMemory.mebibytes(options.memoryBudgetBytes()) + " MiB");
            }
        }

        Device onDevice = TrainingDevice.resolve(options.device(), engine);
        // we draw all our own randomness from Seeds; the engine is reseeded before every step as well
        engine.setRandomSeed((int) (spec.seed() ^ (spec.seed() >>> 32)));
        try (NDManager manager = NDManager.newBaseManager(onDevice)) {
            String engineName = engine.getEngineName() + " " + engine.getVersion() + " on " + manager.getDevice();
            return new TrainingRun(spec, data, listener, options, resume, manager, engineName, subnormalsFlushed,
                    started).execute();
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
        return step(network, optimizer, () -> Batch.of(manager, train, order, from, to, TYPE, augmentation, rng), step);
    }

    /** As above, the batch made by {@code batches} inside the step's scope (from {@link DeviceExamples}, say). */
    static double step(Network network, Optimizer optimizer, EngineCall<Batch> batches, long step)
            throws TrainingFailedException {
        try (NDScope scope = new NDScope()) {
            Batch batch = engineCall(step, batches);
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

    interface EngineCall<T> {
        T call();
    }

    /** Runs engine work, turning the engine's unchecked failures into a failed run that names the step. */
    static <T> T engineCall(long step, EngineCall<T> call) throws TrainingFailedException {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw new TrainingFailedException("engine error at step " + step + ": " + e, e);
        }
    }
}
