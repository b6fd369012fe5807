package org.falab.learning.checkpoint;

import org.falab.learning.train.DivergenceDetector;

/**
 * Where a run stood when a checkpoint was written, beyond its tensors: what a resumed run needs so that its remaining
 * steps are exactly those of the run straight through. Everything else is derived from the spec, seed and step: the
 * epoch's shuffle ({@code shuffle/epoch-<e>}), augmentation draws ({@code augment/step-<n>}), the engine's generator
 * (reseeded before every step, see {@code Training}), the learning-rate schedule and the probe steps.
 *
 * @param epoch 1-based epoch of the last step taken
 * @param stepInEpoch steps of that epoch taken, 1 to steps per epoch
 * @param epochEnd whether that epoch's end (evaluation, {@code onEpoch}, its checkpoint) is done; false for a
 *     checkpoint taken after an epoch's last step but before its evaluation
 * @param epochLossSum the sum of that epoch's batch losses so far (its mean is the epoch's train loss)
 * @param divergence the divergence detector's state
 */
public record ResumeState(int epoch, int stepInEpoch, boolean epochEnd, double epochLossSum,
        DivergenceDetector.State divergence) {}
