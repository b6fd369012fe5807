package org.falab.learning.probes;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.falab.learning.data.Batch;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Layer;
import org.falab.learning.models.Network;
import org.falab.learning.models.SoftmaxCrossEntropy;
import org.falab.learning.spec.Seeds;
import org.falab.learning.train.LayerSignal;

/**
 * Records each layer's error signal δ_l = ∂L/∂(pre-activation output of layer l) on a fixed probe
 * batch, L the mean cross-entropy over that batch. A zero leaf requiring gradient is added to each
 * layer output; after a backward pass its gradient is δ_l as the network's own learning rule
 * delivers it (through B under FA). No update is applied; parameter gradients this leaves behind
 * must be zeroed before the next training backward (the training loop always does).
 */
public final class ErrorSignalProbe implements AutoCloseable {

    private final Batch batch;

    private ErrorSignalProbe(Batch batch) {
        this.batch = batch;
    }

    /**
     * Chooses {@code min(size, train.size())} training examples once, by a seeded permutation, and
     * keeps them on the manager for the whole run.
     */
    public static ErrorSignalProbe fixed(LabelledExamples train, int size, long seed, NDManager manager,
            DataType type) {
        int n = Math.min(size, train.size());
        int[] order = Seeds.permutation(train.size(), Seeds.stream(seed, "probe/batch"));
        Batch batch;
        try (NDScope scope = new NDScope()) {
            batch = Batch.of(manager, train, order, 0, n, type);
            NDScope.unregister(batch.inputs(), batch.targets());
        }
        return new ErrorSignalProbe(batch);
    }

    /** Probe on a given batch (tests). */
    public static ErrorSignalProbe on(Batch batch) {
        return new ErrorSignalProbe(batch);
    }

    /** Examples in the probe batch. */
    public int size() {
        return batch.size();
    }

    /** Error signals of every layer, in layer order. */
    public List<LayerSignal> record(Network network) {
        List<LayerSignal> signals = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            List<NDArray> taps = new ArrayList<>();
            List<Layer> layers = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = network.forward(batch.inputs(), (index, layer, pre) -> {
                    NDArray tap = pre.zerosLike();
                    tap.setRequiresGradient(true);
                    taps.add(tap);
                    layers.add(layer);
                    return pre.add(tap);
                });
                collector.backward(SoftmaxCrossEntropy.mean(logits, batch.targets()));
            }
            for (int i = 0; i < taps.size(); i++) {
                NDArray delta = taps.get(i).getGradient().toType(DataType.FLOAT32, false);
                int cols = (int) delta.getShape().get(1);
                signals.add(new LayerSignal(layers.get(i).name(), i, LayerSignal.ERROR_SIGNAL, batch.size(), cols,
                        LayerSignal.EXAMPLES_X_FEATURES, delta.toFloatArray()));
            }
        }
        return signals;
    }

    /** Releases the probe batch. */
    @Override
    public void close() {
        batch.inputs().close();
        batch.targets().close();
    }
}
