package org.falab.learning.train;

import java.util.Optional;

/**
 * Flags a run that diverges without producing NaN (science.md: FA with SGD and momentum at rates that suit BP can
 * blow its output weights up by orders of magnitude while the loss stays finite). NaN and infinite losses are not its
 * business: they fail the run ({@link LossCheck}).
 *
 * <p>The rule, checked after every update; the first rule that fires yields one warning and the detector falls
 * silent for the rest of the run:
 *
 * <ol>
 *   <li><b>loss</b>: once {@code window} losses have been seen, the running mean of the last {@code window} batch
 *       losses exceeds {@code lossFactor} times the lowest such running mean seen so far;
 *   <li><b>head weight</b>: the Frobenius norm of the classifier head's weight exceeds {@code normFactor} times its
 *       value before the first update.
 * </ol>
 *
 * The platform uses window 50, loss factor 4 and norm factor 100 ({@link #standard()}): a healthy run's running mean
 * loss only falls (its noise over 50 batches is far below a factor 4), and a healthy head grows by a small factor.
 */
public final class DivergenceDetector {

    /** Losses in the running mean. */
    public static final int WINDOW = 50;
    /** Running mean over lowest running mean that fires. */
    public static final double LOSS_FACTOR = 4;
    /** Head norm over its initial norm that fires. */
    public static final double NORM_FACTOR = 100;

    private final double[] recent;
    private final double lossFactor;
    private final double normFactor;
    private final double initialHeadNorm;
    private long seen;
    private double sum;
    private double lowestMean = Double.POSITIVE_INFINITY;
    private boolean fired;

    /**
     * @param window losses in the running mean
     * @param lossFactor ratio of running mean to lowest running mean that fires
     * @param normFactor ratio of head norm to initial head norm that fires
     * @param initialHeadNorm Frobenius norm of the head weight before the first update
     */
    public DivergenceDetector(int window, double lossFactor, double normFactor, double initialHeadNorm) {
        if (window < 1 || !(lossFactor > 1) || !(normFactor > 1)) {
            throw new IllegalArgumentException("window >= 1 and factors > 1 required");
        }
        this.recent = new double[window];
        this.lossFactor = lossFactor;
        this.normFactor = normFactor;
        this.initialHeadNorm = initialHeadNorm;
    }

    /** The platform's rule (window 50, factors 4 and 100). */
    public static DivergenceDetector standard(double initialHeadNorm) {
        return new DivergenceDetector(WINDOW, LOSS_FACTOR, NORM_FACTOR, initialHeadNorm);
    }

    /**
     * Everything the detector has seen, for a checkpoint: a resumed run restores it, so it warns at the same step as
     * the uninterrupted run would (or not again, if that one already had). The running sum is kept as it was
     * accumulated rather than recomputed, since a float sum depends on its order.
     *
     * @param initialHeadNorm the head norm before the first update
     * @param seen losses observed
     * @param sum the running sum of the window
     * @param lowestMean the lowest running mean so far; null until a window is full (JSON has no infinity)
     * @param fired whether the warning was given
     * @param recent the window's ring buffer, slot {@code seen % window} is the oldest
     */
    public record State(double initialHeadNorm, long seen, double sum, Double lowestMean, boolean fired,
            double[] recent) {}

    /** A copy of the detector's state. */
    public State state() {
        return new State(initialHeadNorm, seen, sum, Double.isInfinite(lowestMean) ? null : lowestMean, fired,
                recent.clone());
    }

    /**
     * The platform's rule carrying on from a saved state.
     *
     * @throws IllegalArgumentException if the state's window is not the platform's
     */
    public static DivergenceDetector standard(State state) {
        if (state.recent() == null || state.recent().length != WINDOW) {
            throw new IllegalArgumentException("divergence state has a window of "
                    + (state.recent() == null ? 0 : state.recent().length) + " losses, not " + WINDOW);
        }
        DivergenceDetector d = standard(state.initialHeadNorm());
        System.arraycopy(state.recent(), 0, d.recent, 0, WINDOW);
        d.seen = state.seen();
        d.sum = state.sum();
        d.lowestMean = state.lowestMean() == null ? Double.POSITIVE_INFINITY : state.lowestMean();
        d.fired = state.fired();
        return d;
    }

    /**
     * Records one update.
     *
     * @param step the update's number
     * @param loss its (finite) batch loss
     * @param headNorm the head weight's Frobenius norm after the update
     * @return the warning's reason, the first time a rule fires; empty otherwise
     */
    public Optional<String> observe(long step, double loss, double headNorm) {
        if (fired) {
            return Optional.empty();
        }
        int slot = (int) (seen % recent.length);
        sum += loss - recent[slot];
        recent[slot] = loss;
        seen++;
        if (seen >= recent.length) {
            double mean = sum / recent.length;
            lowestMean = Math.min(lowestMean, mean);
            if (mean > lossFactor * lowestMean) {
                fired = true;
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "diverging at step %d: mean loss of the last %d steps %.4g is more than %.0fx its lowest %.4g",
                        step, recent.length, mean, lossFactor, lowestMean));
            }
        }
        if (initialHeadNorm > 0 && headNorm > normFactor * initialHeadNorm) {
            fired = true;
            return Optional.of(String.format(java.util.Locale.ROOT,
                    "diverging at step %d: head weight norm %.4g is more than %.0fx its initial %.4g", step,
                    headNorm, normFactor, initialHeadNorm));
        }
        return Optional.empty();
    }

    /** Whether a warning was given. */
    public boolean fired() {
        return fired;
    }
}
