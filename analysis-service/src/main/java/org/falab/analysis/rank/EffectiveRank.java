package org.falab.analysis.rank;

import org.ejml.data.DMatrixRMaj;

/**
 * Roy-Vetterli effective rank (Roy and Vetterli, "The effective rank: a measure of effective dimensionality",
 * EUSIPCO 2007), in double precision.
 *
 * <p>For singular values σ_i of a matrix A: p_i = σ_i / Σ_j σ_j and erank(A) = exp(H), H = -Σ_i p_i ln p_i.
 * No centring. Zero singular values contribute nothing (0 · ln 0 = 0), so 1 ≤ erank ≤ rank(A); an all-zero
 * matrix has erank 0 by convention. erank is invariant to scaling A by any non-zero factor.
 *
 * <p>The result must agree with NumPy's {@code numpy.linalg.svd(a, compute_uv=False)} (LAPACK dgesdd) to 1e-9
 * and cost no more than it (RankBench measures both). All-zero rows and columns are set aside first (exact zero
 * singular values), and A is scaled by a power of two so that nothing over- or underflows. Then:
 * <ul>
 *   <li>when one side is at least {@link #GRAM_ASPECT} times the other (the usual probe: many examples, fewer
 *       features), the eigenvalues of the small Gram matrix ({@link GramRoute}): about half the work of an SVD,
 *       but it squares the condition number, so its result is only taken when an error bound guarantees erank to
 *       1e-10: a well-conditioned matrix, or a low-rank one with a clear gap, whose small singular values come
 *       from a second Gram matrix after the large ones are projected out ({@link Route#DEFLATED_GRAM});</li>
 *   <li>otherwise, and whenever that bound fails, LAPACK's own route: Householder QR, bidiagonalisation,
 *       implicit QR ({@link BidiagonalRoute}), which resolves every singular value to a few ε·σ_max as NumPy
 *       does.</li>
 * </ul>
 * The version before set Gram eigenvalues below q·ε·λ_max to zero instead; on a float32 low-rank matrix that
 * dropped the rounding-noise singular values NumPy counts and moved erank by about 1e-6.
 */
public final class EffectiveRank {

    /** A row is near zero when its Euclidean norm is below this fraction of the largest row norm. */
    public static final double NEAR_ZERO_ROW_FRACTION = 1e-6;

    /** Use the Gram matrix when max(rows, cols) ≥ GRAM_ASPECT · min(rows, cols). */
    public static final int GRAM_ASPECT = 2;

    private EffectiveRank() {
    }

    /** Effective rank, singular value count and near-zero rows of {@code a} (not modified). */
    public static RankSummary analyse(DMatrixRMaj a) {
        // one pass over the entries serves both the spectrum and the row norms
        Scan scan = scan(a);
        double erank = fromSingularValues(spectrum(a, scan).sigma());
        return new RankSummary(erank, Math.min(a.numRows, a.numCols), a.numRows, a.numCols,
                countNearZero(scan.rowNormSquared()));
    }

    /** Effective rank of {@code a} (not modified); 0 for an all-zero matrix. */
    public static double of(DMatrixRMaj a) {
        return fromSingularValues(spectrum(a, scan(a)).sigma());
    }

    /** exp of the entropy of the normalised, non-negative singular values; 0 when they are all zero. */
    public static double fromSingularValues(double[] sigma) {
        double total = 0;
        for (double s : sigma) {
            if (s < 0 || Double.isNaN(s)) {
                throw new IllegalArgumentException("singular values must be non-negative, got " + s);
            }
            total += s;
        }
        if (Double.isInfinite(total)) {
            throw new IllegalArgumentException("singular values overflow (matrix has huge or infinite entries)");
        }
        if (total == 0) {
            return 0;
        }
        double entropy = 0;
        for (double s : sigma) {
            if (s > 0) {
                double p = s / total;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /** The min(rows, cols) singular values of {@code a} (not modified), in no particular order. */
    public static double[] singularValues(DMatrixRMaj a) {
        Spectrum spectrum = spectrum(a, scan(a));
        double[] sigma = spectrum.sigma();
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] *= spectrum.scale();
        }
        return sigma;
    }

    /** How {@link #of} gets the singular values of a matrix. */
    public enum Route {
        /** all entries zero: nothing to compute */
        ZERO,
        /** eigenvalues of the Gram matrix, accepted by their error bound */
        GRAM,
        /** the Gram matrix for the large singular values, that of the rest after projecting them out */
        DEFLATED_GRAM,
        /** Householder QR and bidiagonalisation, as LAPACK */
        BIDIAGONAL
    }

    /** The route {@link #of} takes for {@code a}; computes the whole spectrum, for benchmarks and diagnostics. */
    public static Route route(DMatrixRMaj a) {
        return spectrum(a, scan(a)).route();
    }

    /** Singular values of a / scale, the route that gave them, and the scale (a power of two). */
    private record Spectrum(double[] sigma, double scale, Route route) {
    }

    /** Which rows and columns have a non-zero entry, the largest |a_ij|, and each row's sum of squares. */
    private record Scan(boolean[] liveRow, boolean[] liveCol, double max, double[] rowNormSquared) {
    }

    /** One pass over the entries; throws on a non-finite one. */
    private static Scan scan(DMatrixRMaj a) {
        int rows = a.numRows;
        int cols = a.numCols;
        double[] data = a.data;
        boolean[] liveRow = new boolean[rows];
        boolean[] liveCol = new boolean[cols];
        double[] rowNormSquared = new double[rows];
        double max = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = data[base + c];
                if (v != 0) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("matrix has a non-finite entry at row " + r
                                + ", column " + c + ": " + v);
                    }
                    liveRow[r] = true;
                    liveCol[c] = true;
                    max = Math.max(max, Math.abs(v));
                    sum += v * v;
                }
            }
            rowNormSquared[r] = sum;
        }
        return new Scan(liveRow, liveCol, max, rowNormSquared);
    }

    /**
     * The singular values of a / 2^e, where 2^e ≤ max|a_ij| < 2^(e+1) (a power of two, so that the division
     * changes no significant bit and neither route can over- or underflow). All-zero rows and columns are left
     * out first: each zero column adds an exact zero singular value, a zero row adds nothing, and without them a
     * ReLU probe with dead units or saturated examples can still take the Gram route.
     */
    private static Spectrum spectrum(DMatrixRMaj a, Scan scan) {
        double[] sigma = new double[Math.min(a.numRows, a.numCols)];
        if (scan.max() == 0) {
            return new Spectrum(sigma, 0, Route.ZERO);
        }
        double scale = Math.scalb(1.0, Math.getExponent(scan.max()));
        double[][] x = tallRows(a, 1 / scale, indices(scan.liveRow()), indices(scan.liveCol()));
        int q = x[0].length;
        double[] values = null;
        Route route = Route.GRAM;
        if (x.length >= GRAM_ASPECT * q) {
            GramRoute.Result gram = GramRoute.spectrum(x, q);
            if (gram != null) {
                values = gram.sigma();
                route = gram.deflated() ? Route.DEFLATED_GRAM : Route.GRAM;
            }
        }
        if (values == null) {
            route = Route.BIDIAGONAL;
            values = BidiagonalRoute.singularValues(x, q);
        }
        // the rest are the zero singular values of the zero columns
        System.arraycopy(values, 0, sigma, 0, q);
        return new Spectrum(sigma, scale, route);
    }

    private static int[] indices(boolean[] live) {
        int count = 0;
        for (boolean l : live) {
            count += l ? 1 : 0;
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < live.length; i++) {
            if (live[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** {@code factor · a}, every row and column, or its transpose when a is wide, as an array of rows. */
    static double[][] tallRows(DMatrixRMaj a, double factor) {
        int[] rows = new int[a.numRows];
        int[] cols = new int[a.numCols];
        java.util.Arrays.setAll(rows, i -> i);
        java.util.Arrays.setAll(cols, i -> i);
        return tallRows(a, factor, rows, cols);
    }

    /**
     * {@code factor · a} restricted to the given rows and columns, or its transpose when that is wide, as an
     * array of rows: A and Aᵀ have the same singular values, and both routes want at least as many rows as
     * columns.
     */
    private static double[][] tallRows(DMatrixRMaj a, double factor, int[] rows, int[] cols) {
        int stride = a.numCols;
        double[] data = a.data;
        boolean everyColumn = cols.length == stride;
        if (rows.length >= cols.length) {
            double[][] x = new double[rows.length][cols.length];
            for (int i = 0; i < rows.length; i++) {
                double[] xi = x[i];
                int base = rows[i] * stride;
                if (everyColumn) {
                    // copy, then scale in place: one index for both arrays, which C2 vectorises
                    System.arraycopy(data, base, xi, 0, stride);
                    for (int j = 0; j < stride; j++) {
                        xi[j] *= factor;
                    }
                } else {
                    for (int j = 0; j < cols.length; j++) {
                        xi[j] = data[base + cols[j]] * factor;
                    }
                }
            }
            return x;
        }
        double[][] x = new double[cols.length][rows.length];
        for (int i = 0; i < rows.length; i++) {
            int base = rows[i] * stride;
            for (int j = 0; j < cols.length; j++) {
                x[j][i] = data[base + cols[j]] * factor;
            }
        }
        return x;
    }

    /**
     * Rows whose Euclidean norm is below {@link #NEAR_ZERO_ROW_FRACTION} times the largest row norm. When every
     * row is zero, every row counts (a fully saturated probe).
     */
    public static int nearZeroRows(DMatrixRMaj a) {
        double[] normSquared = new double[a.numRows];
        for (int r = 0; r < a.numRows; r++) {
            double sum = 0;
            int base = r * a.numCols;
            for (int c = 0; c < a.numCols; c++) {
                double v = a.data[base + c];
                sum += v * v;
            }
            normSquared[r] = sum;
        }
        return countNearZero(normSquared);
    }

    private static int countNearZero(double[] normSquared) {
        double[] norms = new double[normSquared.length];
        double max = 0;
        for (int r = 0; r < norms.length; r++) {
            norms[r] = Math.sqrt(normSquared[r]);
            max = Math.max(max, norms[r]);
        }
        if (max == 0) {
            return norms.length;
        }
        double threshold = NEAR_ZERO_ROW_FRACTION * max;
        int count = 0;
        for (double norm : norms) {
            if (norm < threshold) {
                count++;
            }
        }
        return count;
    }
}
