package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;

/**
 * Sees (and may replace) the output of every Linear and Conv2d layer, before any norm or
 * non-linearity, and sees each such layer's input. Probes use it to add a zero leaf whose gradient
 * is the layer's error signal without changing the value, and to record activities.
 */
@FunctionalInterface
public interface PreActivationHook {

    /** Leaves outputs unchanged. */
    PreActivationHook NONE = (index, layer, preActivation) -> preActivation;

    /**
     * @param index 0-based position of the layer in {@code Network.layers()}
     * @param layer the layer that produced the output
     * @param preActivation its output
     * @return the array the network continues with
     */
    NDArray apply(int index, Layer layer, NDArray preActivation);

    /** Sees the layer's input (its activity) before the layer runs; nothing by default. */
    default void onInput(int index, Layer layer, NDArray input) {}
}
