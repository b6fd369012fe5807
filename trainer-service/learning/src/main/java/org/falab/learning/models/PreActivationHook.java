package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import org.falab.learning.layers.Layer;

/**
 * Sees (and may replace) each layer's output before its non-linearity. Probes use it to add a zero
 * leaf whose gradient is the layer's error signal, without changing the value.
 */
@FunctionalInterface
public interface PreActivationHook {

    /** Leaves outputs unchanged. */
    PreActivationHook NONE = (index, layer, preActivation) -> preActivation;

    /**
     * @param index 0-based layer index
     * @param layer the layer that produced the output
     * @param preActivation its output
     * @return the array the network continues with
     */
    NDArray apply(int index, Layer layer, NDArray preActivation);
}
