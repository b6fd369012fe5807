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

    FeedbackAlignmentLinear(String name, NDArray weight, NDArray bias, NDArray feedback) {
        super(name, weight, bias);
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

    @Override
    public Map<String, NDArray> frozenTensors() {
        return Map.of(name() + "." + FEEDBACK, feedback);
    }

    @Override
    public NDArray forward(NDArray input) {
        NDArray local = Linear.linear(input.stopGradient(), weight(), bias()).singletonOrThrow();
        if (!input.hasGradient()) {
            // nothing upstream wants dL/dx (e.g. the data going into fc1): z - sg(z) would add an
            // exact zero, so skip the extra matmul
            return local;
        }
        NDArray z = input.matMul(feedback.transpose());
        return local.add(z.sub(z.stopGradient()));
    }
}
