package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/** A linear layer trained by backpropagation: autograd's ordinary backward (dL/dx = δ·W). */
public final class BackpropLinear extends LinearLayer {

    BackpropLinear(String name, NDArray weight, NDArray bias) {
        super(name, weight, bias);
    }

    @Override
    public NDArray forward(NDArray input) {
        return Linear.linear(input, weight(), bias()).singletonOrThrow();
    }
}
