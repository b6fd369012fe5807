package org.falab.learning.probes;

import org.falab.contracts.events.Quantities;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.falab.learning.data.Batch;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Layer;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.PreActivationHook;
import org.falab.learning.layers.WeightLayer;
import org.falab.learning.models.ExactErrorSignals;
import org.falab.learning.models.Network;
import org.falab.learning.models.SoftmaxCrossEntropy;
import org.falab.contracts.spec.LearningRule;
import org.falab.learning.spec.Seeds;
import org.falab.learning.train.LayerSignal;

/**
 * Records, per Linear and Conv2d layer on a fixed probe batch and without any update:
 * <ul>
 *   <li>{@code error-signal}: δ_l = ∂L/∂(output of layer l, before norm and non-linearity), L the
 *       mean cross-entropy over the batch, as the run's rule delivers it (a zero leaf requiring
 *       gradient is added to each output; its gradient is δ_l);
 *   <li>{@code bp-error-signal} (non-BP rules only): the same from a second pass in which every
 *       layer runs as plain BP (errors through Wᵀ), on the same weights and batch; nothing applied;
 *   <li>{@code activity}: the layer's input;
 *   <li>{@code weight} and {@code feedback}: W and the B the rule uses now, flattened to 2-D
 *       (out x in·kh·kw; a DFA B is outputs x classes; none for BP and the DFA head).
 * </ul>
 * Norms run on batch statistics and leave running statistics alone. For 4-D (conv) quantities the
 * layout is {@code positions x channels}, (N·H·W) x C, or with {@code examples}, N x (C·H·W).
 * Parameter gradients this leaves behind must be zeroed before the next training backward (the
 * training loop always does). Where the network has a hand-written backward (an MLP without norms,
 * {@link Network#exactErrorSignals}) both error signals come from one forward and two backward chains
 * instead of two autograd passes: the same matrices in a quarter to a half of the time (docs/BENCHMARKS.md).
 */
public final class ErrorSignalProbe implements AutoCloseable {

    /** {@code probeLayout} value for (N·H·W) x C conv matrices. */
    public static final String POSITIONS = "positions";
    /** {@code probeLayout} value for N x (C·H·W) conv matrices. */
    public static final String EXAMPLES = "examples";

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

    /** All quantities in the {@code positions} layout. */
    public List<LayerSignal> record(Network network) {
        return record(network, POSITIONS);
    }

    /**
     * All quantities of every layer, grouped by layer in layer order: error-signal, bp-error-signal
     * (non-BP), activity, weight, feedback (where the rule has one).
     *
     * @param layout {@code positions} or {@code examples}, for 4-D quantities
     */
    public List<LayerSignal> record(Network network, String layout) {
        if (!POSITIONS.equals(layout) && !EXAMPLES.equals(layout)) {
            throw new IllegalArgumentException("unknown probe layout '" + layout + "'");
        }
        return record(network, layout, true);
    }

    /** {@link #record(Network, String)} through autograd even where the network has a hand-written backward. */
    List<LayerSignal> recordByAutograd(Network network, String layout) {
        return record(network, layout, false);
    }

    private List<LayerSignal> record(Network network, String layout, boolean exactWherePossible) {
        List<LayerSignal> signals = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            boolean bp = network.layers().get(0).rule().rule() == LearningRule.BP;
            // an MLP without norms: one forward and two hand-written backward chains instead of two autograd passes
            Optional<ExactErrorSignals> exact = exactWherePossible
                    ? network.exactErrorSignals(batch.inputs(), batch.targets(), !bp) : Optional.empty();
            Capture own = exact.map(e -> new Capture(List.copyOf(network.layers()), e.errorSignals(), e.inputs()))
                    .orElseGet(() -> capture(network, Pass::probe));
            Capture truth = bp ? null : exact.map(e -> new Capture(own.layers, e.bpErrorSignals(), e.inputs()))
                    .orElseGet(() -> capture(network, Pass::backpropProbe));
            for (int i = 0; i < own.layers.size(); i++) {
                Layer layer = own.layers.get(i);
                signals.add(signal(layer, i, Quantities.ERROR_SIGNAL, own.deltas.get(i), layout));
                if (truth != null) {
                    signals.add(signal(layer, i, Quantities.BP_ERROR_SIGNAL, truth.deltas.get(i), layout));
                }
                signals.add(signal(layer, i, Quantities.ACTIVITY, own.inputs.get(i), layout));
                if (layer instanceof WeightLayer w) {
                    signals.add(matrix(w, i, Quantities.WEIGHT, w.weightMatrix(), w.weightLayout()));
                    NDArray b = w.feedback();
                    if (b != null) {
                        String bLayout = b.getShape().equals(w.weight().getShape()) ? w.weightLayout() : "outputs x classes";
                        signals.add(matrix(w, i, Quantities.FEEDBACK, b.reshape(b.getShape().get(0), -1), bLayout));
                    }
                }
            }
        }
        return signals;
    }

    /** Per layer in forward order: the layer, its δ and its input. */
    private record Capture(List<? extends Layer> layers, List<NDArray> deltas, List<NDArray> inputs) {}

    private Capture capture(Network network, java.util.function.Function<PreActivationHook, Pass> passOf) {
        List<Layer> layers = new ArrayList<>();
        List<NDArray> taps = new ArrayList<>();
        List<NDArray> inputs = new ArrayList<>();
        PreActivationHook hook = new PreActivationHook() {
            @Override
            public NDArray apply(int index, Layer layer, NDArray pre) {
                NDArray tap = pre.zerosLike();
                tap.setRequiresGradient(true);
                taps.add(tap);
                layers.add(layer);
                return pre.add(tap);
            }

            @Override
            public void onInput(int index, Layer layer, NDArray input) {
                inputs.add(input.stopGradient());
            }
        };
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = network.forward(batch.inputs(), passOf.apply(hook));
            collector.backward(SoftmaxCrossEntropy.mean(logits, batch.targets()));
        }
        return new Capture(layers, taps.stream().map(NDArray::getGradient).toList(), inputs);
    }

    private static LayerSignal signal(Layer layer, int index, String quantity, NDArray a, String layout) {
        Shape s = a.getShape();
        if (s.dimension() == 2) {
            return matrix(layer, index, quantity, a, LayerSignal.EXAMPLES_X_FEATURES);
        }
        if (s.dimension() != 4) {
            throw new IllegalStateException(layer.name() + ": cannot lay out a " + s + " " + quantity);
        }
        if (POSITIONS.equals(layout)) {
            return matrix(layer, index, quantity, a.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1)),
                    LayerSignal.POSITIONS_X_CHANNELS);
        }
        return matrix(layer, index, quantity, a.reshape(s.get(0), s.size() / s.get(0)), LayerSignal.EXAMPLES_X_CHW);
    }

    private static LayerSignal matrix(Layer layer, int index, String quantity, NDArray m, String layout) {
        Shape s = m.getShape();
        return new LayerSignal(layer.name(), index, quantity, (int) s.get(0), (int) s.get(1), layout,
                m.toType(DataType.FLOAT32, true).toFloatArray());
    }

    /** Releases the probe batch. */
    @Override
    public void close() {
        batch.inputs().close();
        batch.targets().close();
    }
}
