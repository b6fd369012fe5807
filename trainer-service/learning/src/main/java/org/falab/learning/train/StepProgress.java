package org.falab.learning.train;

/**
 * Sent after every optimiser update (the caller throttles).
 *
 * @param epoch 1-based epoch
 * @param step 1-based update count
 * @param totalSteps updates the run will make
 * @param trainLoss mean cross-entropy of this step's batch, before the update
 */
public record StepProgress(int epoch, long step, long totalSteps, double trainLoss) {}
