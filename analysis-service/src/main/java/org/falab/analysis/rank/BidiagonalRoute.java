package org.falab.analysis.rank;

import java.util.Arrays;

import org.ejml.dense.row.decomposition.svd.implicitqr.SvdImplicitQrAlgorithm_DDRM;

/**
 * Singular values of a tall or square matrix X (p x q, p ≥ q) by LAPACK's route (dgesdd without vectors):
 * Householder QR first when X is much taller than wide, Golub-Kahan bidiagonalisation of R (or of X itself),
 * then EJML's implicit-shift QR on the bidiagonal. Every step is an orthogonal transformation of X, so each
 * singular value comes out within a few ε·σ_max of the exact one, as NumPy's does; the Gram matrix cannot do
 * that for singular values below about sqrt(ε)·σ_max.
 *
 * <p>Matrices are arrays of rows, and every inner loop runs over one row with the same index into every array
 * it touches, so that HotSpot's C2 vectorises it (it does not when one array is indexed at an offset from
 * another). The QR applies its reflectors a panel of {@link #PANEL} at a time (compact WY: two sweeps over the
 * trailing columns per panel instead of two per column).
 */
final class BidiagonalRoute {

    /** Columns per QR panel. */
    private static final int PANEL = 32;

    /** QR first when p ≥ QR_ASPECT · q: the bidiagonalisation then works on q x q instead of p x q. */
    static final double QR_ASPECT = 1.5;

    private BidiagonalRoute() {
    }

    /** The q singular values of X (rows {@code x}, each of length q, p ≥ q; destroyed), in no particular order. */
    static double[] singularValues(double[][] x, int q) {
        double[][] b = x.length >= QR_ASPECT * q ? triangularFactor(x, q) : x;
        double[] diag = new double[q];
        double[] off = new double[Math.max(0, q - 1)];
        bidiagonalise(b, q, diag, off);
        SvdImplicitQrAlgorithm_DDRM qr = new SvdImplicitQrAlgorithm_DDRM(true);
        qr.setMatrix(q, q, diag, off);
        qr.setUt(null);
        qr.setVt(null);
        if (!qr.process()) {
            throw new IllegalStateException("bidiagonal QR did not converge for " + x.length + "x" + q);
        }
        double[] sigma = new double[q];
        for (int i = 0; i < q; i++) {
            sigma[i] = Math.abs(qr.getSingularValue(i));
        }
        return sigma;
    }

    /**
     * R of the Householder QR of X (p x q, destroyed): q rows of length q, upper triangular. A matrix much taller
     * than its L2-sized blocks is factored block by block and the stacked R factors again (TSQR; still a product
     * of Householder reflectors, so just as stable), because the column-by-column passes of a panel otherwise
     * stream the whole matrix from memory once per column.
     */
    static double[][] triangularFactor(double[][] x, int q) {
        int p = x.length;
        int block = Math.max(2 * q, GramRoute.BLOCK_DOUBLES / 2 / q);
        if (p >= 8 * block) {
            int blocks = p / block;
            double[][] stacked = new double[blocks * q][];
            for (int b = 0; b < blocks; b++) {
                int from = b * block;
                int to = b == blocks - 1 ? p : from + block;
                double[][] part = Arrays.copyOfRange(x, from, to);
                householder(part, q);
                for (int i = 0; i < q; i++) {
                    // below the diagonal the rows hold reflectors, not R
                    Arrays.fill(part[i], 0, i, 0);
                    stacked[b * q + i] = part[i];
                }
            }
            return triangularFactor(stacked, q);
        }
        householder(x, q);
        double[][] r = new double[q][q];
        for (int i = 0; i < q; i++) {
            System.arraycopy(x[i], i, r[i], i, q - i);
        }
        return r;
    }

    /**
     * Householder QR of X (p x q) in place, as LAPACK's dgeqrf: R on and above the diagonal, reflector v_k below
     * row k of column k (v_k[k] = 1 implied). Within a panel each column costs two sweeps of the panel's rows:
     * one that scales v and accumulates vᵀX, one that applies the reflector and sums the next column's squares.
     */
    static void householder(double[][] x, int q) {
        int p = x.length;
        double[] tau = new double[q];
        double[] w = new double[q];
        for (int k0 = 0; k0 < q; k0 += PANEL) {
            int k1 = Math.min(q, k0 + PANEL);
            double tail = 0;
            for (int r = k0 + 1; r < p; r++) {
                double e = x[r][k0];
                tail += e * e;
            }
            for (int k = k0; k < k1; k++) {
                tau[k] = 0;
                double nextTail = 0;
                if (tail > 0) {
                    double alpha = x[k][k];
                    double beta = -Math.copySign(Math.sqrt(alpha * alpha + tail), alpha);
                    double scale = 1 / (alpha - beta);
                    tau[k] = (beta - alpha) / beta;
                    x[k][k] = beta;
                    nextTail = reflectPanelColumn(x, k, k1, scale, tau[k], w);
                } else if (k + 1 < k1) {
                    for (int r = k + 2; r < p; r++) {
                        double e = x[r][k + 1];
                        nextTail += e * e;
                    }
                }
                tail = nextTail;
            }
            if (k1 < q) {
                applyPanel(x, k0, k1, tau, q);
            }
        }
    }

    /**
     * Scales column k below the diagonal into v (v_r = x[r][k] · scale), applies I - tau·v vᵀ to the panel columns
     * k+1..k1-1 and returns the sum of squares of column k+1 below row k+1 (the next reflector's tail).
     */
    private static double reflectPanelColumn(double[][] x, int k, int k1, double scale, double tau, double[] w) {
        int p = x.length;
        int from = k + 1;
        if (from >= k1) {
            for (int r = k + 1; r < p; r++) {
                x[r][k] *= scale;
            }
            return 0;
        }
        System.arraycopy(x[k], from, w, from, k1 - from);
        int r = k + 1;
        for (; r + 3 < p; r += 4) {
            double[] x0 = x[r];
            double[] x1 = x[r + 1];
            double[] x2 = x[r + 2];
            double[] x3 = x[r + 3];
            double v0 = x0[k] *= scale;
            double v1 = x1[k] *= scale;
            double v2 = x2[k] *= scale;
            double v3 = x3[k] *= scale;
            for (int j = from; j < k1; j++) {
                w[j] += v0 * x0[j] + v1 * x1[j] + v2 * x2[j] + v3 * x3[j];
            }
        }
        for (; r < p; r++) {
            double[] xr = x[r];
            double v = xr[k] *= scale;
            for (int j = from; j < k1; j++) {
                w[j] += v * xr[j];
            }
        }
        for (int j = from; j < k1; j++) {
            w[j] *= tau;
        }
        double[] xk = x[k];
        for (int j = from; j < k1; j++) {
            xk[j] -= w[j];
        }
        double nextTail = 0;
        for (r = k + 1; r < p; r++) {
            double[] xr = x[r];
            double v = xr[k];
            for (int j = from; j < k1; j++) {
                xr[j] -= v * w[j];
            }
            if (r > from) {
                nextTail += xr[from] * xr[from];
            }
        }
        return nextTail;
    }

    /** v_i at row r of the panel starting at column k0: 0 above its diagonal, the implied 1 on it. */
    private static double reflector(double[][] x, int r, int k0, int i) {
        int diagonal = k0 + i;
        return r < diagonal ? 0 : r == diagonal ? 1 : x[r][diagonal];
    }

    /**
     * Applies H_{k1-1} ... H_{k0} (the panel's reflectors, first one first) to columns [k1, q): with W = Vᵀ X and
     * C = Vᵀ V, Z_j = tau_j (W_j - Σ_{i<j} C_ji Z_i) and X -= V Z, the compact WY form written out. Both sweeps
     * take four rows of X (or four reflectors) per pass over a row of Z, and W is accumulated over blocks of
     * rows that stay in L2.
     */
    private static void applyPanel(double[][] x, int k0, int k1, double[] tau, int q) {
        int p = x.length;
        int b = k1 - k0;
        double[][] z = new double[b][q];
        double[][] c = new double[b][b];
        int block = Math.max(4, GramRoute.BLOCK_DOUBLES / q);
        for (int r0 = k0; r0 < p; r0 += block) {
            int r1 = Math.min(p, r0 + block);
            for (int i = 0; i < b; i++) {
                double[] zi = z[i];
                int r = Math.max(r0, k0 + i);
                for (; r + 3 < r1; r += 4) {
                    double[] x0 = x[r];
                    double[] x1 = x[r + 1];
                    double[] x2 = x[r + 2];
                    double[] x3 = x[r + 3];
                    double v0 = reflector(x, r, k0, i);
                    double v1 = reflector(x, r + 1, k0, i);
                    double v2 = reflector(x, r + 2, k0, i);
                    double v3 = reflector(x, r + 3, k0, i);
                    for (int j = k1; j < q; j++) {
                        zi[j] += v0 * x0[j] + v1 * x1[j] + v2 * x2[j] + v3 * x3[j];
                    }
                }
                for (; r < r1; r++) {
                    double[] xr = x[r];
                    double v = reflector(x, r, k0, i);
                    for (int j = k1; j < q; j++) {
                        zi[j] += v * xr[j];
                    }
                }
            }
            // C = VᵀV below the diagonal
            for (int r = r0; r < r1; r++) {
                int last = Math.min(b - 1, r - k0);
                for (int i = 1; i <= last; i++) {
                    double vi = reflector(x, r, k0, i);
                    double[] ci = c[i];
                    for (int l = 0; l < i; l++) {
                        ci[l] += vi * x[r][k0 + l];
                    }
                }
            }
        }
        for (int i = 0; i < b; i++) {
            double[] zi = z[i];
            for (int l = 0; l < i; l++) {
                double cil = c[i][l];
                if (cil != 0) {
                    double[] zl = z[l];
                    for (int j = k1; j < q; j++) {
                        zi[j] -= cil * zl[j];
                    }
                }
            }
            double t = tau[k0 + i];
            for (int j = k1; j < q; j++) {
                zi[j] *= t;
            }
        }
        for (int r = k0; r < p; r++) {
            double[] xr = x[r];
            int last = Math.min(b, r - k0 + 1);
            int i = 0;
            for (; i + 3 < last; i += 4) {
                double v0 = reflector(x, r, k0, i);
                double v1 = reflector(x, r, k0, i + 1);
                double v2 = reflector(x, r, k0, i + 2);
                double v3 = reflector(x, r, k0, i + 3);
                double[] z0 = z[i];
                double[] z1 = z[i + 1];
                double[] z2 = z[i + 2];
                double[] z3 = z[i + 3];
                for (int j = k1; j < q; j++) {
                    xr[j] -= v0 * z0[j] + v1 * z1[j] + v2 * z2[j] + v3 * z3[j];
                }
            }
            for (; i < last; i++) {
                double v = reflector(x, r, k0, i);
                double[] zi = z[i];
                for (int j = k1; j < q; j++) {
                    xr[j] -= v * zi[j];
                }
            }
        }
    }

    /**
     * Golub-Kahan bidiagonalisation of B (p x q, p ≥ q; destroyed): B = U [diag, off] Vᵀ. One sweep of the
     * trailing rows per step: each row gets both reflectors at once (the right one's B·v is taken from the row
     * before the left update, B_r·v - u_r (w·v)), and contributes to the next step's left reflector (the squares
     * of column k+1 and Σ_r b[r][k+1] B_r), so the trailing matrix is read and written once per step.
     */
    static void bidiagonalise(double[][] b, int q, double[] diag, double[] off) {
        int p = b.length;
        double[] w = new double[q];
        double[] v = new double[q];
        double[] sums = new double[q];
        // step 0's left reflector: squares of column 0 below row 0 and Σ_r b[r][0] B_r
        double tail = 0;
        for (int r = 1; r < p; r++) {
            double[] br = b[r];
            double e = br[0];
            tail += e * e;
            for (int j = 1; j < q; j++) {
                sums[j] += e * br[j];
            }
        }
        for (int k = 0; k < q; k++) {
            int from = k + 1;
            double[] bk = b[k];
            double alpha = bk[k];
            double tauLeft = 0;
            double scaleLeft = 0;
            if (tail > 0) {
                double beta = -Math.copySign(Math.sqrt(alpha * alpha + tail), alpha);
                scaleLeft = 1 / (alpha - beta);
                tauLeft = (beta - alpha) / beta;
                diag[k] = beta;
            } else {
                diag[k] = alpha;
            }
            if (from >= q) {
                break;
            }
            // w = tau (B_k + scale Σ_{r>k} b[r][k] B_r), the left reflector's uᵀB; row k takes it at once
            for (int j = from; j < q; j++) {
                w[j] = tauLeft * (bk[j] + scaleLeft * sums[j]);
                bk[j] -= w[j];
            }
            // right reflector from row k, columns k+1..
            double alphaRight = bk[from];
            double tailRight = 0;
            for (int j = from + 1; j < q; j++) {
                tailRight += bk[j] * bk[j];
            }
            double tauRight = 0;
            if (tailRight > 0) {
                double beta = -Math.copySign(Math.sqrt(alphaRight * alphaRight + tailRight), alphaRight);
                double scale = 1 / (alphaRight - beta);
                v[from] = 1;
                for (int j = from + 1; j < q; j++) {
                    v[j] = bk[j] * scale;
                }
                tauRight = (beta - alphaRight) / beta;
                off[k] = beta;
            } else {
                Arrays.fill(v, from, q, 0);
                off[k] = alphaRight;
            }
            double wv = 0;
            for (int j = from; j < q; j++) {
                wv += w[j] * v[j];
            }
            Arrays.fill(sums, 0);
            tail = 0;
            int next = from + 1;
            int r = from;
            for (; r + 3 < p; r += 4) {
                double[] b0 = b[r];
                double[] b1 = b[r + 1];
                double[] b2 = b[r + 2];
                double[] b3 = b[r + 3];
                double u0 = b0[k] * scaleLeft;
                double u1 = b1[k] * scaleLeft;
                double u2 = b2[k] * scaleLeft;
                double u3 = b3[k] * scaleLeft;
                double z0 = tauRight * (dot(b0, v, from, q) - u0 * wv);
                double z1 = tauRight * (dot(b1, v, from, q) - u1 * wv);
                double z2 = tauRight * (dot(b2, v, from, q) - u2 * wv);
                double z3 = tauRight * (dot(b3, v, from, q) - u3 * wv);
                for (int j = from; j < q; j++) {
                    double wj = w[j];
                    double vj = v[j];
                    b0[j] -= u0 * wj + z0 * vj;
                    b1[j] -= u1 * wj + z1 * vj;
                    b2[j] -= u2 * wj + z2 * vj;
                    b3[j] -= u3 * wj + z3 * vj;
                }
                tail = accumulateNext(b0, b1, b2, b3, r, from, next, q, sums, tail);
            }
            for (; r < p; r++) {
                double[] br = b[r];
                double ur = br[k] * scaleLeft;
                double zr = tauRight * (dot(br, v, from, q) - ur * wv);
                for (int j = from; j < q; j++) {
                    br[j] -= ur * w[j] + zr * v[j];
                }
                if (r > from) {
                    double e = br[from];
                    tail += e * e;
                    for (int j = next; j < q; j++) {
                        sums[j] += e * br[j];
                    }
                }
            }
        }
    }

    /** Rows r..r+3 (updated) into the next step's squares of column {@code from} and Σ b[r][from] B_r. */
    private static double accumulateNext(double[] b0, double[] b1, double[] b2, double[] b3, int r, int from,
                                         int next, int q, double[] sums, double tail) {
        // row `from` is the next reflector's own row, not part of its tail
        double e0 = r > from ? b0[from] : 0;
        double e1 = b1[from];
        double e2 = b2[from];
        double e3 = b3[from];
        for (int j = next; j < q; j++) {
            sums[j] += e0 * b0[j] + e1 * b1[j] + e2 * b2[j] + e3 * b3[j];
        }
        return tail + e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
    }

    /** Σ_{j in [from, to)} a[j]·b[j], with four partial sums so that the additions do not wait on each other. */
    private static double dot(double[] a, double[] b, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < to; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
