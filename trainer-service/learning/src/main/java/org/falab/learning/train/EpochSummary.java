package org.falab.learning.train;

/**
 * Sent at the end of every epoch, after evaluating on the test split.
 *
 * @param epoch 1-based epoch just finished
 * @param step updates so far
 * @param totalSteps updates the run will make
 * @param trainLoss mean of the epoch's batch losses
 * @param testAccuracy fraction of test examples classified correctly
 */
public record EpochSummary(int epoch, long step, long totalSteps, double trainLoss, double testAccuracy) {}
