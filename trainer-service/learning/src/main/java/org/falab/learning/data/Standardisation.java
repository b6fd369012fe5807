package org.falab.learning.data;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Per-channel mean and standard deviation of the training examples, applied to both splits. A channel is a
 * contiguous block of {@code featureCount / channels} values of an example (C x H x W layout). Gray-scale images and
 * the synthetic data have one channel, i.e. one scalar pair over all values (as torchvision's {@code Normalize} for
 * MNIST; per-pixel statistics would divide border pixels by a zero std). CIFAR has three (R, G, B).
 *
 * @param means mean of the raw values of each channel over the training examples used
 * @param stds their population standard deviations, never 0
 */
public record Standardisation(double[] means, double[] stds) {

    /** Copies and checks. */
    public Standardisation {
        if (means.length != stds.length || means.length == 0) {
            throw new IllegalArgumentException("one mean and one std per channel needed");
        }
        means = means.clone();
        stds = stds.clone();
    }

    /** One channel. */
    public Standardisation(double mean, double std) {
        this(new double[] {mean}, new double[] {std});
    }

    /** Statistics of raw values as one channel. */
    public static Standardisation of(float[] raw) {
        return of(raw, Math.max(1, raw.length), 1);
    }

    /**
     * Per-channel statistics of raw rows of {@code featureCount} values each. The loops walk each row's channel planes
     * in order (no division per value: this runs over every value of the training set at every run's start), which
     * adds each channel's values in the same order as one pass over the array would.
     */
    public static Standardisation of(float[] raw, int featureCount, int channels) {
        int plane = planeSize(raw.length, featureCount, channels);
        double[] sum = new double[channels];
        for (int row = 0; row < raw.length; row += featureCount) {
            for (int c = 0, i = row; c < channels; c++) {
                double s = sum[c];
                for (int end = i + plane; i < end; i++) {
                    s += raw[i];
                }
                sum[c] = s;
            }
        }
        long count = (long) (raw.length / featureCount) * plane;
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = count == 0 ? 0 : sum[c] / count;
        }
        double[] sq = new double[channels];
        for (int row = 0; row < raw.length; row += featureCount) {
            for (int c = 0, i = row; c < channels; c++) {
                double s = sq[c];
                double m = mean[c];
                for (int end = i + plane; i < end; i++) {
                    double d = raw[i] - m;
                    s += d * d;
                }
                sq[c] = s;
            }
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double s = count == 0 ? 1 : Math.sqrt(sq[c] / count);
            std[c] = s > 0 ? s : 1;
        }
        return new Standardisation(mean, std);
    }

    /** Values per channel of a row; the rows must hold whole channels and the array whole rows. */
    private static int planeSize(int length, int featureCount, int channels) {
        if (featureCount <= 0 || channels <= 0 || featureCount % channels != 0 || length % featureCount != 0) {
            throw new IllegalArgumentException(length + " values are not rows of " + featureCount
                    + " values in " + channels + " channels");
        }
        return featureCount / channels;
    }

    /** Number of channels. */
    public int channels() {
        return means.length;
    }

    /** The mean of the first channel (the only one of gray-scale and synthetic data). */
    public double mean() {
        return means[0];
    }

    /** The std of the first channel. */
    public double std() {
        return stds[0];
    }

    /** Standardises rows of one channel in place: {@code (v - mean) / std}. */
    public void applyInPlace(float[] values) {
        applyInPlace(values, Math.max(1, values.length));
    }

    /** Standardises rows of {@code featureCount} values in place, channel by channel. */
    public void applyInPlace(float[] values, int featureCount) {
        int plane = planeSize(values.length, featureCount, means.length);
        // rows in parallel: each value on its own, so the result does not depend on the split (a division per value
        // in double, which the JIT does not vectorise, is most of a run's start otherwise)
        IntStream.range(0, values.length / featureCount).parallel().forEach(row -> {
            for (int c = 0, i = row * featureCount; c < means.length; c++) {
                double mean = means[c];
                double std = stds[c];
                for (int end = i + plane; i < end; i++) {
                    values[i] = (float) ((values[i] - mean) / std);
                }
            }
        });
    }

    /** The standardised value of a raw 0 per channel: what zero padding of the raw image becomes. */
    public float[] standardisedZero() {
        float[] out = new float[means.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) (-means[c] / stds[c]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardisation s && Arrays.equals(means, s.means) && Arrays.equals(stds, s.stds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
    }

    @Override
    public String toString() {
        return "Standardisation" + Arrays.toString(means) + Arrays.toString(stds);
    }
}
