package org.falab.learning.train;

/**
 * A checkpoint written at the end of an epoch; see {@link org.falab.learning.checkpoint.Checkpoints}.
 *
 * @param epoch 1-based epoch just finished
 * @param step updates so far
 * @param bytes the checkpoint, a ZIP laid out like NumPy's {@code .npz}
 */
public record CheckpointData(int epoch, long step, byte[] bytes) {}
