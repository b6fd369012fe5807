package org.falab.analysis.alignment;

import org.ejml.data.DMatrixRMaj;

/**
 * Alignment diagnostics of the feedback-alignment literature, as small pure functions on flattened matrices (no
 * centring), in double precision.
 *
 * <ul>
 *   <li>{@link #angleDegrees}: the angle between two vectors, arccos(clamp(⟨a,b⟩ / (|a| |b|), -1, 1)) in degrees,
 *   0 for parallel, 90 for orthogonal, 180 for opposite vectors; invariant to scaling either vector by a positive
 *   factor. It is computed as 2·atan2(|â − b̂|, |â + b̂|) on the unit vectors (Kahan), which equals the arccos form
 *   but keeps full precision near 0 and 180 degrees, always lies in [0, 180] and needs no clamping. Used for
 *   the method's error signal δ against the true BP δ on the same probe batch, and for the forward weight W
 *   against the feedback matrix B.</li>
 *   <li>{@link #normRatio}: |b|_F / |a|_F, e.g. |B|_F / |W|_F.</li>
 * </ul>
 *
 * <p>A figure that is not defined is {@code null}: the angle when either vector is all zero (no direction), the
 * ratio when the denominator is all zero. Both vectors are divided by their largest absolute entry before the
 * sums, so nothing overflows or underflows for entries from 1e-300 to 1e300. Non-finite entries and vectors of
 * different lengths are rejected with {@link IllegalArgumentException}.
 */
public final class Alignment {

    private Alignment() {
    }

    /** Angle in degrees in [0, 180] between {@code a} and {@code b}; null when either is all zero. */
    public static Double angleDegrees(double[] a, double[] b) {
        requireSameLength(a, b);
        double scaleA = maxAbs(a);
        double scaleB = maxAbs(b);
        if (scaleA == 0 || scaleB == 0) {
            return null;
        }
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] / scaleA;
            double y = b[i] / scaleB;
            normA += x * x;
            normB += y * y;
        }
        normA = Math.sqrt(normA);
        normB = Math.sqrt(normB);
        // Kahan: angle = 2 atan2(|â - b̂|, |â + b̂|) for unit vectors â, b̂; equal to arccos of the cosine, but
        // accurate near 0 and 180 degrees where arccos loses half the digits
        double difference = 0;
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] / scaleA / normA;
            double y = b[i] / scaleB / normB;
            difference += (x - y) * (x - y);
            sum += (x + y) * (x + y);
        }
        return Math.toDegrees(2 * Math.atan2(Math.sqrt(difference), Math.sqrt(sum)));
    }

    /** Angle in degrees between the flattened (row-major) matrices, which must have the same shape. */
    public static Double angleDegrees(DMatrixRMaj a, DMatrixRMaj b) {
        requireSameShape(a, b);
        return angleDegrees(flat(a), flat(b));
    }

    /** |b| / |a| (Euclidean norms); null when {@code a} is all zero. */
    public static Double normRatio(double[] a, double[] b) {
        double normA = norm(a);
        double normB = norm(b);
        return normA == 0 ? null : normB / normA;
    }

    /** |b|_F / |a|_F of matrices of the same shape; null when {@code a} is all zero. */
    public static Double normRatio(DMatrixRMaj a, DMatrixRMaj b) {
        requireSameShape(a, b);
        return normRatio(flat(a), flat(b));
    }

    /** Euclidean norm, computed on the vector divided by its largest absolute entry (no overflow). */
    public static double norm(double[] v) {
        double scale = maxAbs(v);
        if (scale == 0) {
            return 0;
        }
        double sum = 0;
        for (double x : v) {
            double y = x / scale;
            sum += y * y;
        }
        return scale * Math.sqrt(sum);
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("vector has a non-finite entry: " + x);
            }
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static double[] flat(DMatrixRMaj m) {
        return java.util.Arrays.copyOf(m.data, m.getNumElements());
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " and " + b.length);
        }
    }

    private static void requireSameShape(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            throw new IllegalArgumentException("matrices differ in shape: " + a.numRows + "x" + a.numCols + " and "
                    + b.numRows + "x" + b.numCols);
        }
    }
}
