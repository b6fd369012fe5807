package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.Map;

/**
 * A linear layer trained by Feedback Alignment: forward is {@code x Wᵀ + b}; backward gives the
 * true local weight gradient δᵀx but sends δ·B (not δ·W) to the input, B a fixed random matrix of
 * W's shape.
 *
 * <p>Built from autograd and stop-gradient only: {@code y = sg(x)·Wᵀ + b + z - sg(z)} with
 * {@code z = x·Bᵀ}. The value is {@code x Wᵀ + b} (z cancels), W and b only see {@code sg(x)}, so
 * their gradients are the local ones, and the only path from y back to x is through z, whose
 * Jacobian is B.
 */
public final class FeedbackAlignmentLinear extends LinearLayer {

    private final NDArray feedback;
    private final boolean errorToInput;

    FeedbackAlignmentLinear(String name, NDArray weight, NDArray bias, NDArray feedback, boolean errorToInput) {
        super(name, weight, bias);
        this.errorToInput = errorToInput;
        if (!feedback.getShape().equals(weight.getShape())) {
            throw new IllegalArgumentException(name + ": feedback " + feedback.getShape()
                    + " must have the weight's shape " + weight.getShape());
        }
        // frozen: never requires gradient, never handed to an optimiser
        feedback.setRequiresGradient(false);
        this.feedback = feedback;
    }

    /** B, shape (out, in); frozen. */
    public NDArray feedback() {
        return feedback;
    }

    /** Whether δ·B is sent to the input; false only where the input is data (fc1 of a network). */
    public boolean errorToInput() {
        return errorToInput;
    }

    @Override
    public Map<String, NDArray> frozenTensors() {
        return Map.of(name() + "." + FEEDBACK, feedback);
    }

    @Override
    public NDArray forward(NDArray input) {
        NDArray local = Linear.linear(input.stopGradient(), weight(), bias()).singletonOrThrow();
        if (!errorToInput) {
            // the input is data: nothing upstream wants dL/dx, so skip the extra matmul. (DJL's
            // hasGradient() is false for every non-leaf array, so it cannot decide this.)
            return local;
        }
        NDArray z = input.matMul(feedback.transpose());
        return local.add(z.sub(z.stopGradient()));
    }
}
