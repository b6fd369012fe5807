package org.falab.learning.data;

/**
 * One mean and one standard deviation over all feature values of the training examples, applied to
 * both splits. A single scalar pair (as torchvision's {@code Normalize} for MNIST) rather than
 * per-pixel statistics, because border pixels have zero variance.
 *
 * @param mean mean of all raw feature values of the training examples used
 * @param std their standard deviation (population), never 0
 */
public record Standardisation(double mean, double std) {

    /** Statistics of the given raw values. */
    public static Standardisation of(float[] raw) {
        double sum = 0;
        for (float v : raw) {
            sum += v;
        }
        double mean = raw.length == 0 ? 0 : sum / raw.length;
        double sq = 0;
        for (float v : raw) {
            double d = v - mean;
            sq += d * d;
        }
        double std = raw.length == 0 ? 1 : Math.sqrt(sq / raw.length);
        return new Standardisation(mean, std > 0 ? std : 1);
    }

    /** Standardises in place: {@code (v - mean) / std}. */
    public void applyInPlace(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((values[i] - mean) / std);
        }
    }
}
