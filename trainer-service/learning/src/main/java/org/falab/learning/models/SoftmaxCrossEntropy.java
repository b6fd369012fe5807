package org.falab.learning.models;

import ai.djl.ndarray.NDArray;

/** Softmax cross-entropy, averaged over the batch. */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {}

    /**
     * {@code mean_i( -Σ_c t_ic log softmax(z_i)_c )}; log-softmax keeps it finite for large logits.
     *
     * @param logits examples x classes
     * @param oneHot examples x classes
     * @return a scalar
     */
    public static NDArray mean(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
