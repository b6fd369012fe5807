package org.falab.learning.models;

import ai.djl.ndarray.NDArray;

/** Softmax cross-entropy, averaged over the batch. */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {}

    /**
     * The loss and its gradient with respect to the logits.
     *
     * @param loss a scalar
     * @param logitError examples x classes, {@code (softmax(z) − t) / N}
     */
    public record WithLogitError(NDArray loss, NDArray logitError) {}

    /**
     * {@code mean_i( -Σ_c t_ic log softmax(z_i)_c )}; log-softmax keeps it finite for large logits.
     *
     * @param logits examples x classes
     * @param oneHot examples x classes
     * @return a scalar
     */
    public static NDArray mean(NDArray logits, NDArray oneHot) {
        return meanOf(logits.logSoftmax(1), oneHot);
    }

    /** {@link #mean} and its gradient with respect to the logits (for a hand-written backward), from one log-softmax. */
    public static WithLogitError withLogitError(NDArray logits, NDArray oneHot) {
        NDArray logProbabilities = logits.logSoftmax(1);
        long examples = logits.getShape().get(0);
        return new WithLogitError(meanOf(logProbabilities, oneHot),
                logProbabilities.exp().subi(oneHot).divi(examples));
    }

    private static NDArray meanOf(NDArray logProbabilities, NDArray oneHot) {
        return logProbabilities.mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
