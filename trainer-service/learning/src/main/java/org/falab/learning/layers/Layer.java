package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * One layer of a network. The learning rule is fixed by the implementing class, so {@link
 * #forward} never branches on it.
 */
public interface Layer {

    /** Name used in probes and tensor names, e.g. {@code "fc1"}. */
    String name();

    /** The layer's output for a batch of inputs (examples x features). */
    NDArray forward(NDArray input);

    /** Trainable tensors, in a fixed order. */
    List<Parameter> parameters();

    /** Tensors that are saved but never trained, e.g. {@code "fc1.feedback"}; empty by default. */
    default Map<String, NDArray> frozenTensors() {
        return Map.of();
    }

    /** Output features (the width of the error signal of this layer). */
    int outputFeatures();
}
