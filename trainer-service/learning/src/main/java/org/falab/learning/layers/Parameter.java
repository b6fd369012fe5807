package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;

/**
 * A trainable tensor with a stable name ({@code "fc1.weight"}) used by optimisers and checkpoints.
 * Frozen tensors such as feedback matrices are deliberately not parameters, so no optimiser or
 * weight decay can ever reach them.
 *
 * @param name unique within a network
 * @param array the tensor, requiring gradient
 * @param kind what the tensor is, so optimisers can treat weights and biases differently
 */
public record Parameter(String name, NDArray array, Kind kind) {

    /** The role of a parameter. */
    public enum Kind {
        /** A weight matrix (2-D). */
        WEIGHT,
        /** A bias vector (1-D). */
        BIAS
    }
}
