package org.falab.learning.train;

/**
 * What a finished run reports.
 *
 * @param testAccuracy accuracy after the last epoch
 * @param trainLoss mean batch loss of the last epoch
 * @param steps updates made
 * @param epochs epochs completed
 * @param trainingSeconds wall time of {@link Training#train}
 * @param engine engine and device
 */
public record TrainingResult(double testAccuracy, double trainLoss, long steps, int epochs, double trainingSeconds, String engine) {}
