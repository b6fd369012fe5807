package org.falab.learning.train;

/** Fails a run whose loss stops being a finite number; no update is applied after such a loss. */
public final class LossCheck {

    private LossCheck() {}

    /**
     * @throws TrainingFailedException "train loss became NaN at step 73" (or Infinity)
     */
    public static void requireFinite(double loss, long step) throws TrainingFailedException {
        if (Double.isNaN(loss)) {
            throw new TrainingFailedException("train loss became NaN at step " + step);
        }
        if (Double.isInfinite(loss)) {
            throw new TrainingFailedException("train loss became " + (loss > 0 ? "+" : "-") + "Infinity at step " + step);
        }
    }
}
