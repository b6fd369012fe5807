package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;

/**
 * One forward pass through a network: its mode (train, probe, eval), whether every layer runs as
 * plain backpropagation (the probe's true-BP twin of a non-BP network), the hook that sees layer
 * inputs and outputs, and the direct-feedback projections DFA layers register. Not thread-safe;
 * use one per forward pass.
 */
public final class Pass {

    /** What the pass is for. */
    public enum Mode {
        /** Training step: batch statistics, running statistics updated. */
        TRAIN,
        /** Probe: batch statistics as in training, running statistics untouched, no update. */
        PROBE,
        /** Evaluation: running statistics, no graph needed. */
        EVAL
    }

    private final Mode mode;
    private final boolean backprop;
    private final PreActivationHook hook;
    private int next;
    private NDArray direct;

    private Pass(Mode mode, boolean backprop, PreActivationHook hook) {
        this.mode = mode;
        this.backprop = backprop;
        this.hook = hook;
    }

    /** A training pass under the network's own rule. */
    public static Pass train() {
        return new Pass(Mode.TRAIN, false, PreActivationHook.NONE);
    }

    /** An evaluation pass. */
    public static Pass eval() {
        return new Pass(Mode.EVAL, false, PreActivationHook.NONE);
    }

    /** A probe pass under the network's own rule. */
    public static Pass probe(PreActivationHook hook) {
        return new Pass(Mode.PROBE, false, hook);
    }

    /** A probe pass in which every layer backpropagates through Wᵀ whatever its rule (true BP signals). */
    public static Pass backpropProbe(PreActivationHook hook) {
        return new Pass(Mode.PROBE, true, hook);
    }

    /** A pass of the given mode and hook. */
    public static Pass of(Mode mode, boolean backprop, PreActivationHook hook) {
        return new Pass(mode, backprop, hook);
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** True if every layer must run as plain backpropagation in this pass. */
    public boolean backprop() {
        return backprop;
    }

    /** True if gradients may be taken (train or probe). */
    public boolean differentiable() {
        return mode != Mode.EVAL;
    }

    /** Called by a layer with its input and output; returns what the network continues with. */
    NDArray output(Layer layer, NDArray input, NDArray output) {
        int index = next++;
        hook.onInput(index, layer, input);
        return hook.apply(index, layer, output);
    }

    /** Called by a DFA layer: a projection (examples x classes) whose gradient is the layer's error path. */
    void addDirectProjection(NDArray projection) {
        direct = direct == null ? projection : direct.add(projection);
    }

    /**
     * Networks call this on their logits last: adds {@code p − sg(p)} for the sum p of all DFA
     * projections, which leaves the value unchanged and sends e = ∂L/∂logits into every DFA layer
     * through its matrix.
     */
    public NDArray logits(NDArray logits) {
        if (direct == null) {
            return logits;
        }
        return logits.add(direct.sub(direct.stopGradient()));
    }
}
