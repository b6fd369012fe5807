package org.falab.learning.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.layers.Parameter;
import org.falab.learning.spec.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Muon against an independent float64 implementation written here with plain loops, and the spectrum of the
 * Newton-Schulz output, measured with a Jacobi eigen-solver on the small Gram matrix.
 *
 * <p>What 5 quintic steps give (measured here and with numpy in float64): every singular value σ of the input with
 * σ/‖G‖_F above about 2e-3 ends in [0.68, 1.21] (random Gaussian matrices: [0.68, 1.14]; low rank plus noise: up to
 * 1.21). The slope at 0 is a = 3.4445, so 5 steps raise a tiny σ/‖G‖_F by at most a⁵ ≈ 487: directions far below
 * that (a nearly singular square matrix) are NOT orthogonalised; a test below shows it.
 */
class MuonTest {

    @ParameterizedTest
    @CsvSource({"64,128", "128,64", "32,32", "16,36", "200,50"})
    void newtonSchulzOfRandomMatricesHasSingularValuesNearOne(int rows, int cols) {
        double[] g = gaussian(rows * cols, Seeds.stream(rows * 1000L + cols, "test/muon"));
        double[] s = singularValues(orthogonalised(g, rows, cols), rows, cols);
        assertThat(java.util.Arrays.stream(s).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(0.6, 1.25));
    }

    @ParameterizedTest
    @CsvSource({"64,128", "128,64", "16,36", "200,50"})
    void newtonSchulzOfLowRankPlusNoiseHasSingularValuesNearOne(int rows, int cols) {
        SplittableRandom rng = Seeds.stream(rows * 7L + cols, "test/muon-lowrank");
        int rank = 4;
        double[] left = gaussian(rows * rank, rng);
        double[] right = gaussian(rank * cols, rng);
        double[] g = gaussian(rows * cols, rng);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < rank; k++) {
                    s += left[i * rank + k] * right[k * cols + j];
                }
                g[i * cols + j] = s + 0.3 * g[i * cols + j];
            }
        }
        double[] s = singularValues(orthogonalised(g, rows, cols), rows, cols);
        assertThat(java.util.Arrays.stream(s).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(0.6, 1.25));
    }

    @Test
    void directionsFarBelowTheFrobeniusNormAreNotOrthogonalisedInFiveSteps() {
        // diag(1, 1e-5): the small direction is amplified by at most a^5 ≈ 487, so it stays near 0
        int n = 2;
        double[] g = {1, 0, 0, 1e-5};
        double[] s = singularValues(orthogonalised(g, n, n), n, n);
        assertThat(s[0]).isBetween(0.6, 1.25);
        assertThat(s[1]).isLessThan(0.01);
    }

    @Test
    void updateMatchesAFloat64ImplementationOverSeveralSteps() {
        int out = 12;
        int in = 2;
        int kh = 3;
        int kw = 3; // a conv kernel: 12 x 18 as a matrix, wide
        int rows = out;
        int cols = in * kh * kw;
        double lr = 0.02;
        double wd = 0.1;
        SplittableRandom rng = Seeds.stream(9, "test/muon-reference");
        double[] w0 = gaussian(rows * cols, rng);
        double[][] grads = {gaussian(rows * cols, rng), gaussian(rows * cols, rng), gaussian(rows * cols, rng)};

        double[] expected = w0.clone();
        double[] m = new double[rows * cols];
        for (double[] g : grads) {
            double[] u = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = 0.95 * m[i] + 0.05 * g[i];
                u[i] = 0.05 * g[i] + 0.95 * m[i];
            }
            double[] o = referenceNewtonSchulz5(u, rows, cols);
            double scale = Math.sqrt(Math.max(1, (double) rows / cols));
            for (int i = 0; i < g.length; i++) {
                expected[i] = expected[i] * (1 - lr * wd) - lr * scale * o[i];
            }
        }

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(toFloat(w0), new Shape(out, in, kh, kw));
            w.setRequiresGradient(true);
            Parameter p = new Parameter("conv2.weight", w, Parameter.Kind.WEIGHT);
            Muon muon = new Muon(List.of(new ParameterGroup("muon", List.of(p), lr, wd)), List.of());
            for (double[] g : grads) {
                setGradient(muon, p, g);
                muon.step();
            }
            assertThat(w.getShape()).isEqualTo(new Shape(out, in, kh, kw));
            assertThat(w.toFloatArray()).containsExactly(toFloat(expected), within(1e-5f));
            assertThat(muon.state()).containsOnlyKeys("conv2.weight.momentum_buffer");
            assertThat(muon.state().get("conv2.weight.momentum_buffer").toFloatArray())
                    .containsExactly(toFloat(m), within(1e-6f));
        }
    }

    @Test
    void tallMatrixUpdateMatchesTheReferenceWithItsScale() {
        int rows = 24;
        int cols = 6;
        SplittableRandom rng = Seeds.stream(10, "test/muon-tall");
        double[] g = gaussian(rows * cols, rng);
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            u[i] = 0.05 * g[i] + 0.95 * (0.05 * g[i]); // first step: m = 0.05 g
        }
        double[] o = referenceNewtonSchulz5(u, rows, cols);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grad = manager.create(toFloat(g), new Shape(rows, cols));
            NDArray m = grad.zerosLike();
            NDArray update = Muon.muonUpdate(grad, m, 0.95, true);
            float[] expected = new float[o.length];
            for (int i = 0; i < o.length; i++) {
                expected[i] = (float) (2.0 * o[i]); // sqrt(24 / 6)
            }
            assertThat(update.getShape()).isEqualTo(new Shape(rows, cols));
            assertThat(update.toFloatArray()).containsExactly(expected, within(1e-5f));
        }
    }

    @Test
    void scaleUsesTheTwoDimensionalShape() {
        long[] k3 = Muon.matrixShape(new Shape(16, 4, 3, 3));
        assertThat(k3).containsExactly(16, 36);
        assertThat(Muon.scale(k3[0], k3[1])).isEqualTo(1.0);
        long[] k1 = Muon.matrixShape(new Shape(64, 1, 1, 1));
        assertThat(k1).containsExactly(64, 1);
        assertThat(Muon.scale(k1[0], k1[1])).isEqualTo(8.0);
        assertThat(Muon.scale(256, 784)).isEqualTo(1.0);
        assertThat(Muon.scale(1024, 256)).isEqualTo(2.0);
    }

    @Test
    void stateRestoresTheSameTrajectory() {
        SplittableRandom rng = Seeds.stream(11, "test/muon-restore");
        double[] w0 = gaussian(8 * 6, rng);
        double[] b0 = gaussian(8, rng);
        double[][] grads = new double[4][];
        double[][] biasGrads = new double[4][];
        for (int t = 0; t < 4; t++) {
            grads[t] = gaussian(8 * 6, rng);
            biasGrads[t] = gaussian(8, rng);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter[] a = pair(manager, w0, b0);
            Muon first = muonFor(a);
            for (int t = 0; t < 4; t++) {
                setGradient(first, a[0], grads[t]);
                setGradient(null, a[1], biasGrads[t]);
                first.step();
            }

            Parameter[] b = pair(manager, w0, b0);
            Muon head = muonFor(b);
            for (int t = 0; t < 2; t++) {
                setGradient(head, b[0], grads[t]);
                setGradient(null, b[1], biasGrads[t]);
                head.step();
            }
            Map<String, NpyArray> saved = new LinkedHashMap<>();
            head.state().forEach((k, v) -> saved.put(k, new NpyArray(
                    java.util.Arrays.stream(v.getShape().getShape()).mapToInt(x -> (int) x).toArray(),
                    toDouble(v.toFloatArray()))));
            assertThat(saved).containsOnlyKeys("w.momentum_buffer", "b.exp_avg", "b.exp_avg_sq");

            Parameter[] c = pair(manager, toDouble(b[0].array().toFloatArray()), toDouble(b[1].array().toFloatArray()));
            Muon resumed = muonFor(c);
            resumed.restore(saved, head.updates());
            for (int t = 2; t < 4; t++) {
                setGradient(resumed, c[0], grads[t]);
                setGradient(null, c[1], biasGrads[t]);
                resumed.step();
            }
            assertThat(c[0].array().toFloatArray()).containsExactly(a[0].array().toFloatArray(), within(1e-6f));
            assertThat(c[1].array().toFloatArray()).containsExactly(a[1].array().toFloatArray(), within(1e-6f));
            assertThat(resumed.updates()).isEqualTo(4);
        }
    }

    @Test
    void rejectsVectors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray b = manager.zeros(new Shape(3));
            b.setRequiresGradient(true);
            Parameter p = new Parameter("b", b, Parameter.Kind.BIAS);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> new Muon(List.of(new ParameterGroup("muon", List.of(p), 0.02, 0)), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Parameter[] pair(NDManager manager, double[] w, double[] b) {
        NDArray wa = manager.create(toFloat(w), new Shape(8, 6));
        wa.setRequiresGradient(true);
        NDArray ba = manager.create(toFloat(b), new Shape(8));
        ba.setRequiresGradient(true);
        return new Parameter[] {new Parameter("w", wa, Parameter.Kind.WEIGHT), new Parameter("b", ba,
                Parameter.Kind.BIAS)};
    }

    private static Muon muonFor(Parameter[] p) {
        return new Muon(List.of(new ParameterGroup("muon", List.of(p[0]), 0.05, 0.01)),
                List.of(new ParameterGroup("adamw", List.of(p[1]), 0.01, 0.01)));
    }

    /** Gives the parameter exactly the gradient g, through the engine's autograd: L = Σ g∘w. */
    private static void setGradient(Optimizer optimizer, Parameter p, double[] g) {
        NDArray w = p.array();
        NDArray old = w.getGradient();
        old.subi(old);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray c = w.getManager().create(toFloat(g), w.getShape());
            collector.backward(w.mul(c).sum());
        }
    }

    /** Muon's Newton-Schulz on the engine, back as doubles. */
    private static double[] orthogonalised(double[] g, int rows, int cols) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(toFloat(g), new Shape(rows, cols));
            return toDouble(Muon.newtonSchulz5(x).toFloatArray());
        }
    }

    /** The iteration of science.md in float64 with plain loops, independent of the engine. */
    static double[] referenceNewtonSchulz5(double[] g, int rows, int cols) {
        boolean tall = rows > cols;
        int r = tall ? cols : rows;
        int c = tall ? rows : cols;
        double[] x = new double[r * c];
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        norm = Math.sqrt(norm) + 1e-7;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = g[i * cols + j] / norm;
                if (tall) {
                    x[j * c + i] = v;
                } else {
                    x[i * c + j] = v;
                }
            }
        }
        for (int step = 0; step < 5; step++) {
            double[] a = new double[r * r];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    double s = 0;
                    for (int k = 0; k < c; k++) {
                        s += x[i * c + k] * x[j * c + k];
                    }
                    a[i * r + j] = s;
                }
            }
            double[] b = new double[r * r];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    double s = 0;
                    for (int k = 0; k < r; k++) {
                        s += a[i * r + k] * a[k * r + j];
                    }
                    b[i * r + j] = -4.7750 * a[i * r + j] + 2.0315 * s;
                }
            }
            double[] next = new double[r * c];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    double s = 0;
                    for (int k = 0; k < r; k++) {
                        s += b[i * r + k] * x[k * c + j];
                    }
                    next[i * c + j] = 3.4445 * x[i * c + j] + s;
                }
            }
            x = next;
        }
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = tall ? x[j * c + i] : x[i * c + j];
            }
        }
        return out;
    }

    /** Singular values (descending) from the eigenvalues of the small Gram matrix, by cyclic Jacobi. */
    static double[] singularValues(double[] m, int rows, int cols) {
        int n = Math.min(rows, cols);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                if (rows <= cols) {
                    for (int k = 0; k < cols; k++) {
                        s += m[i * cols + k] * m[j * cols + k];
                    }
                } else {
                    for (int k = 0; k < rows; k++) {
                        s += m[k * cols + i] * m[k * cols + j];
                    }
                }
                a[i][j] = s;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-26) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                }
            }
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.sqrt(Math.max(0, a[i][i]));
        }
        java.util.Arrays.sort(s);
        for (int i = 0; i < n / 2; i++) {
            double t = s[i];
            s[i] = s[n - 1 - i];
            s[n - 1 - i] = t;
        }
        return s;
    }

    private static double[] gaussian(int n, SplittableRandom rng) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Seeds.gaussian(rng);
        }
        return out;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
