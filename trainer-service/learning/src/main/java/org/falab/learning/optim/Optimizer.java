package org.falab.learning.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.Map;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.io.Tensors;
import org.falab.learning.layers.Parameter;

/**
 * Updates named parameters in place from their gradients. State (momentum buffers, moments) is
 * created when the optimiser is built, never inside a step, so a step's temporary scope cannot
 * close it; it is exported by name for checkpoints and restored from them.
 */
public interface Optimizer {

    /** Name as in run specs ({@code "sgd"}). */
    String name();

    /** The groups this optimiser updates. */
    List<ParameterGroup> groups();

    /** Applies one update using the gradients currently held by the parameters (autograd's). */
    default void step() {
        step(Gradients.AUTOGRAD);
    }

    /** Applies one update using the given gradients. */
    void step(Gradients gradients);

    /** Number of updates applied (AdamW's bias correction depends on it). */
    long updates();

    /** State tensors by name, e.g. {@code "fc1.weight.momentum"}; empty if the optimiser keeps none. */
    Map<String, NDArray> state();

    /**
     * Overwrites the state with exported values.
     *
     * @param state arrays by the names {@link #state()} uses; every one of them must be present
     * @param updates the update count at export time
     */
    void restore(Map<String, NpyArray> state, long updates);

    /** Sets every parameter's gradient to zero; DJL accumulates gradients across backward passes. */
    default void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            for (ParameterGroup group : groups()) {
                for (Parameter p : group.parameters()) {
                    NDArray g = p.array().getGradient(); // a new handle on the same storage
                    g.subi(g);
                }
            }
        }
    }

    /** Shared implementation of {@link #restore} for state maps. */
    static void restoreInto(Map<String, NDArray> state, Map<String, NpyArray> values) {
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            NpyArray v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("optimiser state " + e.getKey() + " missing");
            }
            Tensors.copyInto(e.getValue(), v, e.getKey());
        }
    }
}
