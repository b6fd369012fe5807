package org.falab.learning.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.falab.contracts.spec.LearningRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Float64 check of every rule on a Linear layer and on a Conv2d layer (3x3, stride 2, padding 1)
 * against explicit loops: with L = Σ y∘G the upstream error is δ = G, so dL/dW = δᵀx (conv: the
 * correlation of x with δ), dL/db = Σ δ, and dL/dx = δ·B (conv: the transposed convolution of δ
 * with B), B = W for BP. DFA is covered at network level (DirectFeedbackTest).
 */
class RuleGradientTest {

    private static final double TOL = 1e-12;
    // linear
    private static final int N = 4;
    private static final int IN = 5;
    private static final int OUT = 3;
    // conv
    private static final int C = 3;
    private static final int O = 4;
    private static final int H = 5;
    private static final int K = 3;
    private static final int S = 2;
    private static final int P = 1;
    private static final int HO = (H + 2 * P - K) / S + 1;

    private final SplittableRandom rng = new SplittableRandom(7);

    @ParameterizedTest
    @EnumSource(value = LearningRule.class, names = {"BP", "FA", "USF", "FRSF"})
    void linearGradientsAreLocalForWAndGoThroughBForX(LearningRule rule) {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLayer layer = LinearLayer.create("fc2", IN, OUT, rule, Initializer.XAVIER_UNIFORM, true, null,
                    TensorFactory.seeded(m, DataType.FLOAT64, 11));
            double[] x = random(N * IN);
            double[] g = random(N * OUT);
            Grads r = run(m, layer, x, new Shape(N, IN), g, new Shape(N, OUT));
            double[] w = layer.weight().toDoubleArray();
            double[] b = rule == LearningRule.BP ? w : layer.feedback().toDoubleArray();
            assertClose(r.y, linear(x, w, layer.bias().toDoubleArray()), "forward value");
            assertClose(r.dW, linearWeightGrad(x, g), "dL/dW = δᵀx");
            assertClose(r.db, colSums(g, N, OUT), "dL/db");
            assertClose(r.dx, linearInputGrad(g, b), "dL/dx = δ·B");
            if (rule != LearningRule.BP) {
                assertThat(maxAbsDiff(r.dx, linearInputGrad(g, w))).as("not δ·W").isGreaterThan(1e-3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = LearningRule.class, names = {"BP", "FA", "USF", "FRSF"})
    void convGradientsAreLocalForWAndGoThroughTransposedConvOfBForX(LearningRule rule) {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2dLayer layer = Conv2dLayer.create("conv2", C, O, K, S, P, rule, Initializer.XAVIER_UNIFORM, true, null,
                    TensorFactory.seeded(m, DataType.FLOAT64, 13));
            double[] x = random(2 * C * H * H);
            double[] g = random(2 * O * HO * HO);
            Grads r = run(m, layer, x, new Shape(2, C, H, H), g, new Shape(2, O, HO, HO));
            double[] w = layer.weight().toDoubleArray();
            double[] b = rule == LearningRule.BP ? w : layer.feedback().toDoubleArray();
            assertClose(r.y, conv(x, w, layer.bias().toDoubleArray()), "forward value");
            assertClose(r.dW, convWeightGrad(x, g), "dL/dW = correlation of x with δ");
            assertClose(r.dx, convInputGrad(g, b), "dL/dx = transposed conv of δ with B");
            if (rule != LearningRule.BP) {
                assertThat(maxAbsDiff(r.dx, convInputGrad(g, w))).as("not through W").isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void brsfDrawsAFreshSignConcordantMagnitudeEachBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLayer layer = LinearLayer.create("fc2", IN, OUT, LearningRule.BRSF, Initializer.XAVIER_UNIFORM, true,
                    null, TensorFactory.seeded(m, DataType.FLOAT64, 11));
            double[] x = random(OUT * IN);
            double[] identity = new double[OUT * OUT];
            for (int i = 0; i < OUT; i++) {
                identity[i * OUT + i] = 1;
            }
            // with δ = I the input gradient is B itself
            Grads first = run(m, layer, x, new Shape(OUT, IN), identity, new Shape(OUT, OUT));
            Grads second = run(m, layer, x, new Shape(OUT, IN), identity, new Shape(OUT, OUT));
            double[] w = layer.weight().toDoubleArray();
            double bound = Math.sqrt(6.0 / (IN + OUT));
            for (int i = 0; i < w.length; i++) {
                assertThat(Math.signum(first.dx[i])).isEqualTo(Math.signum(w[i]));
                assertThat(Math.abs(first.dx[i])).isLessThanOrEqualTo(bound);
            }
            assertThat(maxAbsDiff(first.dx, second.dx)).as("redrawn per batch").isGreaterThan(1e-6);
            assertClose(first.dW, linearWeightGradOf(x, identity, OUT), "dL/dW = δᵀx");
            assertThat(layer.frozenTensors()).isEmpty();
        }
    }

    @Test
    void usfFeedbackFollowsTheCurrentSignOfW() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLayer layer = LinearLayer.create("fc2", IN, OUT, LearningRule.USF, Initializer.XAVIER_UNIFORM, true,
                    null, TensorFactory.seeded(m, DataType.FLOAT64, 11));
            layer.weight().subi(0.3); // an "update" that flips some signs
            double[] w = layer.weight().toDoubleArray();
            double[] sign = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                sign[i] = Math.signum(w[i]);
            }
            assertThat(layer.feedback().toDoubleArray()).containsExactly(sign);
            double[] x = random(N * IN);
            double[] g = random(N * OUT);
            Grads r = run(m, layer, x, new Shape(N, IN), g, new Shape(N, OUT));
            assertClose(r.dx, linearInputGrad(g, sign), "dL/dx = δ·sign(W) after W changed");
        }
    }

    @Test
    void feedbackIsFrozenAndDrawnIndependentlyOfW() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLayer fa = LinearLayer.create("fc2", IN, OUT, LearningRule.FA, Initializer.KAIMING_UNIFORM, true, null,
                    TensorFactory.seeded(m, DataType.FLOAT64, 11));
            assertThat(fa.frozenTensors()).containsOnlyKeys("fc2.feedback");
            assertThat(fa.feedback().hasGradient()).isFalse();
            assertThat(fa.parameters()).extracting(Parameter::name).containsExactly("fc2.weight", "fc2.bias");
            double[] b = fa.feedback().toDoubleArray();
            double kaiming = Math.sqrt(6.0 / IN);
            assertThat(java.util.Arrays.stream(b).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(kaiming);
            assertThat(maxAbsDiff(b, fa.weight().toDoubleArray())).isGreaterThan(1e-3);
            LinearLayer frsf = LinearLayer.create("fc2", IN, OUT, LearningRule.FRSF, Initializer.XAVIER_UNIFORM, true,
                    null, TensorFactory.seeded(m, DataType.FLOAT64, 11));
            assertThat(frsf.frozenTensors()).containsOnlyKeys("fc2.feedback-magnitude");
            assertThat(java.util.Arrays.stream(frsf.frozenTensors().get("fc2.feedback-magnitude").toDoubleArray()).min()
                    .orElseThrow()).isGreaterThanOrEqualTo(0);
        }
    }

    private record Grads(double[] y, double[] dW, double[] db, double[] dx) {}

    private static Grads run(NDManager m, WeightLayer layer, double[] x, Shape xs, double[] g, Shape gs) {
        layer.weight().setRequiresGradient(true); // fresh gradient buffers for every run
        layer.bias().setRequiresGradient(true);
        NDArray input = m.create(x, xs);
        input.setRequiresGradient(true);
        NDArray upstream = m.create(g, gs);
        NDArray y;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            y = layer.forward(input);
            collector.backward(y.mul(upstream).sum());
        }
        assertThat(y.getDataType()).isEqualTo(DataType.FLOAT64);
        return new Grads(y.toDoubleArray(), layer.weight().getGradient().toDoubleArray(),
                layer.bias().getGradient().toDoubleArray(), input.getGradient().toDoubleArray());
    }

    private static double[] linear(double[] x, double[] w, double[] b) {
        double[] y = new double[N * OUT];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < OUT; o++) {
                double s = b[o];
                for (int i = 0; i < IN; i++) {
                    s += x[n * IN + i] * w[o * IN + i];
                }
                y[n * OUT + o] = s;
            }
        }
        return y;
    }

    private static double[] linearWeightGrad(double[] x, double[] g) {
        return linearWeightGradOf(x, g, N);
    }

    private static double[] linearWeightGradOf(double[] x, double[] g, int rows) {
        double[] d = new double[OUT * IN];
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                for (int n = 0; n < rows; n++) {
                    d[o * IN + i] += g[n * OUT + o] * x[n * IN + i];
                }
            }
        }
        return d;
    }

    private static double[] linearInputGrad(double[] g, double[] b) {
        double[] d = new double[N * IN];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < IN; i++) {
                for (int o = 0; o < OUT; o++) {
                    d[n * IN + i] += g[n * OUT + o] * b[o * IN + i];
                }
            }
        }
        return d;
    }

    private static double[] colSums(double[] g, int rows, int cols) {
        double[] s = new double[cols];
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < cols; c++) {
                s[c] += g[n * cols + c];
            }
        }
        return s;
    }

    /** Visits every (n, o, p, q, c, ki, kj) whose input position (i, j) lies inside the image. */
    private interface Visitor {
        void visit(int n, int o, int p, int q, int c, int ki, int kj, int i, int j);
    }

    private static void forEachTap(Visitor v) {
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < O; o++) {
                for (int p = 0; p < HO; p++) {
                    for (int q = 0; q < HO; q++) {
                        for (int c = 0; c < C; c++) {
                            for (int ki = 0; ki < K; ki++) {
                                for (int kj = 0; kj < K; kj++) {
                                    int i = p * S - P + ki;
                                    int j = q * S - P + kj;
                                    if (i >= 0 && i < H && j >= 0 && j < H) {
                                        v.visit(n, o, p, q, c, ki, kj, i, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int xi(int n, int c, int i, int j) {
        return ((n * C + c) * H + i) * H + j;
    }

    private static int yi(int n, int o, int p, int q) {
        return ((n * O + o) * HO + p) * HO + q;
    }

    private static int wi(int o, int c, int ki, int kj) {
        return ((o * C + c) * K + ki) * K + kj;
    }

    private static double[] conv(double[] x, double[] w, double[] b) {
        double[] y = new double[2 * O * HO * HO];
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < O; o++) {
                for (int p = 0; p < HO * HO; p++) {
                    y[(n * O + o) * HO * HO + p] = b[o];
                }
            }
        }
        forEachTap((n, o, p, q, c, ki, kj, i, j) -> y[yi(n, o, p, q)] += w[wi(o, c, ki, kj)] * x[xi(n, c, i, j)]);
        return y;
    }

    private static double[] convWeightGrad(double[] x, double[] g) {
        double[] d = new double[O * C * K * K];
        forEachTap((n, o, p, q, c, ki, kj, i, j) -> d[wi(o, c, ki, kj)] += g[yi(n, o, p, q)] * x[xi(n, c, i, j)]);
        return d;
    }

    private static double[] convInputGrad(double[] g, double[] b) {
        double[] d = new double[2 * C * H * H];
        forEachTap((n, o, p, q, c, ki, kj, i, j) -> d[xi(n, c, i, j)] += g[yi(n, o, p, q)] * b[wi(o, c, ki, kj)]);
        return d;
    }

    private double[] random(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextDouble(-1, 1);
        }
        return out;
    }

    static double maxAbsDiff(double[] a, double[] e) {
        assertThat(a).hasSameSizeAs(e);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - e[i]));
        }
        return m;
    }

    static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(maxAbsDiff(actual, expected)).as(what + " max abs error").isLessThanOrEqualTo(TOL);
    }
}
