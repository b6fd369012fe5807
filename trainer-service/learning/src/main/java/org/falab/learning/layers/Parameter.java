package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;

/**
 * A trainable tensor with a stable name ({@code "fc1.weight"}) used by optimisers and checkpoints.
 * Frozen tensors such as feedback matrices are deliberately not parameters, so no optimiser or
 * weight decay can ever reach them.
 *
 * @param name unique within a network
 * @param array the tensor, requiring gradient
 * @param kind what the tensor is, so optimisers can treat weights, biases and norm parameters differently
 */
public record Parameter(String name, NDArray array, Kind kind) {

    /** The role of a parameter. */
    public enum Kind {
        /** A weight: 2-D (out, in) for Linear, 4-D (out, in, kh, kw) for Conv2d. */
        WEIGHT,
        /** A bias vector of a Linear or Conv2d layer (1-D). */
        BIAS,
        /** A gain or bias of a normalisation (batch or layer norm), 1-D per feature or channel. */
        NORM
    }
}
