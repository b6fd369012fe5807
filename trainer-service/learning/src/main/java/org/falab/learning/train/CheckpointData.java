package org.falab.learning.train;

/**
 * A checkpoint of a run: at the end of every epoch, and between epoch ends at the intervals {@link TrainingOptions}
 * asks for or before a requested stop; see {@link org.falab.learning.checkpoint.Checkpoints}. Any of them resumes the
 * run ({@link TrainingOptions#resumingFrom}).
 *
 * @param epoch 1-based epoch of the last step taken (the epoch just finished, for an epoch end)
 * @param step updates so far
 * @param bytes the checkpoint, a ZIP laid out like NumPy's {@code .npz}
 * @param epochEnd true for the checkpoint written after an epoch's evaluation, false for interval and stop
 *     checkpoints (taken after a step, before its epoch's evaluation if it is the epoch's last)
 */
public record CheckpointData(int epoch, long step, byte[] bytes, boolean epochEnd) {

    /** An epoch-end checkpoint (the only kind before interval checkpoints existed). */
    public CheckpointData(int epoch, long step, byte[] bytes) {
        this(epoch, step, bytes, true);
    }
}
