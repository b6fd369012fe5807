package org.falab.learning.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.falab.learning.spec.LearningRule;
import org.junit.jupiter.api.Test;

/**
 * Float64 check of both rules against hand-computed gradients: with L = Σ y∘G the upstream error
 * is δ = G, so dL/dW = δᵀx, dL/db = Σ_rows δ, and dL/dx = δ·B (FA) or δ·W (BP).
 */
class LinearGradientTest {

    private static final int N = 4;
    private static final int IN = 5;
    private static final int OUT = 3;
    private static final double TOL = 1e-12;

    private final SplittableRandom rng = new SplittableRandom(7);
    private final double[] x = random(N * IN);
    private final double[] w = random(OUT * IN);
    private final double[] b = random(OUT);
    private final double[] feedback = random(OUT * IN);
    private final double[] delta = random(N * OUT);

    @Test
    void feedbackAlignmentSendsDeltaThroughBAndKeepsLocalWeightGradient() {
        Gradients g = run(LearningRule.FA);
        assertThat(g.layer).isInstanceOf(FeedbackAlignmentLinear.class);
        assertClose(g.y, forward(), "forward value");
        assertClose(g.dW, deltaTransposeX(), "dL/dW");
        assertClose(g.db, columnSums(delta), "dL/db");
        assertClose(g.dx, deltaTimes(feedback), "dL/dx = δ·B");
        // and it really is not δ·W (the matrices differ, so would the gradients)
        assertThat(maxAbsDiff(g.dx, deltaTimes(w))).isGreaterThan(1e-3);
    }

    @Test
    void backpropSendsDeltaThroughW() {
        Gradients g = run(LearningRule.BP);
        assertThat(g.layer).isInstanceOf(BackpropLinear.class);
        assertClose(g.y, forward(), "forward value");
        assertClose(g.dW, deltaTransposeX(), "dL/dW");
        assertClose(g.db, columnSums(delta), "dL/db");
        assertClose(g.dx, deltaTimes(w), "dL/dx = δ·W");
    }

    private record Gradients(LinearLayer layer, double[] y, double[] dW, double[] db, double[] dx) {}

    private Gradients run(LearningRule rule) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinearLayer layer = LinearLayer.build(rule, "fc1", IN, OUT, suffix -> switch (suffix) {
                case LinearLayer.WEIGHT -> w;
                case LinearLayer.BIAS -> b;
                default -> feedback;
            }, manager, DataType.FLOAT64);
            NDArray input = manager.create(x, new Shape(N, IN));
            input.setRequiresGradient(true);
            NDArray upstream = manager.create(delta, new Shape(N, OUT));
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y = layer.forward(input);
                collector.backward(y.mul(upstream).sum());
            }
            assertThat(y.getDataType()).isEqualTo(DataType.FLOAT64);
            return new Gradients(layer, y.toDoubleArray(), layer.weight().getGradient().toDoubleArray(),
                    layer.bias().getGradient().toDoubleArray(), input.getGradient().toDoubleArray());
        }
    }

    private double[] forward() {
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

    private double[] deltaTransposeX() {
        double[] g = new double[OUT * IN];
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                double s = 0;
                for (int n = 0; n < N; n++) {
                    s += delta[n * OUT + o] * x[n * IN + i];
                }
                g[o * IN + i] = s;
            }
        }
        return g;
    }

    private double[] deltaTimes(double[] matrix) {
        double[] g = new double[N * IN];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < IN; i++) {
                double s = 0;
                for (int o = 0; o < OUT; o++) {
                    s += delta[n * OUT + o] * matrix[o * IN + i];
                }
                g[n * IN + i] = s;
            }
        }
        return g;
    }

    private static double[] columnSums(double[] m) {
        double[] s = new double[OUT];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < OUT; o++) {
                s[o] += m[n * OUT + o];
            }
        }
        return s;
    }

    private double[] random(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextDouble(-1, 1);
        }
        return out;
    }

    private static double maxAbsDiff(double[] a, double[] e) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - e[i]));
        }
        return m;
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        assertThat(maxAbsDiff(actual, expected)).as(what + " max abs error").isLessThanOrEqualTo(TOL);
    }
}
