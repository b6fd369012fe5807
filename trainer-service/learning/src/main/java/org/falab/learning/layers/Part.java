package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** Something in a network that owns tensors: a weight layer or a norm. */
public interface Part {

    /** Trainable tensors, in a fixed order. */
    List<Parameter> parameters();

    /** Tensors that are saved but never trained or decayed, e.g. {@code "fc1.feedback"}; empty by default. */
    default Map<String, NDArray> frozenTensors() {
        return Map.of();
    }

    /** Non-trainable state the forward pass updates, e.g. batch-norm running statistics; empty by default. */
    default Map<String, NDArray> buffers() {
        return Map.of();
    }
}
