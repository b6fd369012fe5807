package org.falab.learning.checkpoint;

import java.util.List;

/**
 * One tensor listed in a checkpoint manifest.
 *
 * @param name key in the archive without {@code .npy}, e.g. {@code "fc2.feedback"}
 * @param role {@code "parameter"}, {@code "feedback"} (frozen) or {@code "optimizer-state"}
 * @param shape dimensions
 * @param dtype {@code "<f4"} or {@code "<f8"}
 */
public record TensorEntry(String name, String role, List<Integer> shape, String dtype) {

    /** Role of trainable tensors. */
    public static final String PARAMETER = "parameter";
    /** Role of frozen feedback matrices. */
    public static final String FEEDBACK = "feedback";
    /** Role of optimiser buffers. */
    public static final String OPTIMIZER_STATE = "optimizer-state";
    /** Role of non-trainable state a forward pass updates (batch-norm running statistics). */
    public static final String BUFFER = "buffer";
}
