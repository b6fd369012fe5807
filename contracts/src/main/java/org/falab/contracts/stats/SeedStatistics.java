package org.falab.contracts.stats;

import java.util.List;

/**
 * The statistics over the seeds of a sweep's cell, one definition for every place that shows them (the gateway's
 * sweep groups, the CLI's figures): the mean, and the sample standard deviation (n - 1 in the denominator, 0 for a
 * single value).
 */
public final class SeedStatistics {

    private SeedStatistics() {
    }

    /** The mean; NaN for no value. */
    public static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.isEmpty() ? Double.NaN : sum / values.size();
    }

    /** The sample standard deviation; 0 for a single value (and for none). */
    public static double std(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.size() - 1));
    }
}
