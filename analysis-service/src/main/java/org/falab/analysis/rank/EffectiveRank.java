package org.falab.analysis.rank;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Roy-Vetterli effective rank (Roy and Vetterli, "The effective rank: a measure of effective dimensionality",
 * EUSIPCO 2007), in double precision with EJML.
 *
 * <p>For singular values σ_i of a matrix A: p_i = σ_i / Σ_j σ_j and erank(A) = exp(H), H = -Σ_i p_i ln p_i.
 * No centring. Zero singular values contribute nothing (0 · ln 0 = 0), so 1 ≤ erank ≤ rank(A); an all-zero
 * matrix has erank 0 by convention. erank is invariant to scaling A by any non-zero factor.
 *
 * <p>Singular values: when one side is at least {@link #GRAM_ASPECT} times the other (the usual probe: many
 * examples, fewer features), they come from the eigenvalues λ_i of the small symmetric Gram matrix
 * (AᵀA for a tall A, AAᵀ for a wide one): σ_i = sqrt(λ_i). That squares the condition number, so eigenvalues
 * below {@code min(rows, cols) · ε · λ_max} are numerical noise (tiny negative ones included) and are set to 0;
 * a singular value below about 1e-7 σ_max is therefore dropped, which changes erank by a relative 1e-6 at most
 * and keeps an exactly rank-deficient matrix at its true effective rank. Near-square matrices go through
 * EJML's SVD (values only) instead, where the Gram route would lose the most accuracy for no speed gain.
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
        return new RankSummary(of(a), Math.min(a.numRows, a.numCols), a.numRows, a.numCols, nearZeroRows(a));
    }

    /** Effective rank of {@code a} (not modified); 0 for an all-zero matrix. */
    public static double of(DMatrixRMaj a) {
        // erank is scale invariant: use the singular values of A / max|a_ij|, which cannot overflow
        return fromSingularValues(singularValuesOfScaled(a, CommonOps_DDRM.elementMaxAbs(a)));
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
        double scale = CommonOps_DDRM.elementMaxAbs(a);
        double[] sigma = singularValuesOfScaled(a, scale);
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] *= scale;
        }
        return sigma;
    }

    /** Singular values of a / scale; work on that so neither the Gram matrix nor the SVD over- or underflows. */
    private static double[] singularValuesOfScaled(DMatrixRMaj a, double scale) {
        requireFinite(a);
        int small = Math.min(a.numRows, a.numCols);
        int large = Math.max(a.numRows, a.numCols);
        double[] sigma = new double[small];
        if (scale == 0) {
            return sigma;
        }
        DMatrixRMaj scaled = a.copy();
        CommonOps_DDRM.divide(scaled, scale);
        if (large >= GRAM_ASPECT * small) {
            sigma = singularValuesFromGram(scaled);
        } else {
            SingularValueDecomposition_F64<DMatrixRMaj> svd =
                    DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
            if (!svd.decompose(scaled)) {
                throw new IllegalStateException("SVD did not converge for a " + a.numRows + "x" + a.numCols + " matrix");
            }
            System.arraycopy(svd.getSingularValues(), 0, sigma, 0, Math.min(small, svd.numberOfSingularValues()));
        }
        return sigma;
    }

    /** Singular values as square roots of the eigenvalues of the small Gram matrix, noise eigenvalues set to 0. */
    static double[] singularValuesFromGram(DMatrixRMaj a) {
        boolean tall = a.numRows >= a.numCols;
        int n = tall ? a.numCols : a.numRows;
        DMatrixRMaj gram = new DMatrixRMaj(n, n);
        if (tall) {
            CommonOps_DDRM.multTransA(a, a, gram);
        } else {
            CommonOps_DDRM.multTransB(a, a, gram);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("eigen-decomposition of the " + n + "x" + n + " Gram matrix did not converge");
        }
        double[] lambda = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            lambda[i] = eig.getEigenvalue(i).getReal();
            max = Math.max(max, lambda[i]);
        }
        double floor = n * Math.ulp(1.0) * max;
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = lambda[i] > floor ? Math.sqrt(lambda[i]) : 0;
        }
        return sigma;
    }

    /**
     * Rows whose Euclidean norm is below {@link #NEAR_ZERO_ROW_FRACTION} times the largest row norm. When every
     * row is zero, every row counts (a fully saturated probe).
     */
    public static int nearZeroRows(DMatrixRMaj a) {
        double[] norms = new double[a.numRows];
        double max = 0;
        for (int r = 0; r < a.numRows; r++) {
            double sum = 0;
            int base = r * a.numCols;
            for (int c = 0; c < a.numCols; c++) {
                double v = a.data[base + c];
                sum += v * v;
            }
            norms[r] = Math.sqrt(sum);
            max = Math.max(max, norms[r]);
        }
        if (max == 0) {
            return a.numRows;
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

    private static void requireFinite(DMatrixRMaj a) {
        int n = a.numRows * a.numCols;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(a.data[i])) {
                throw new IllegalArgumentException("matrix has a non-finite entry at row " + i / a.numCols
                        + ", column " + i % a.numCols + ": " + a.data[i]);
            }
        }
    }
}
