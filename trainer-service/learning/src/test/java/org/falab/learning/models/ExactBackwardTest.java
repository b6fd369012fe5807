package org.falab.learning.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.falab.contracts.spec.LearningRule;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.Parameter;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.TensorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MLP's hand-written backward against autograd on the same float64 network and batch, for every rule: the loss
 * and every parameter's gradient agree to 1e-12 (brSF's redrawn matrices come from the engine's generator, reseeded
 * identically for both sides).
 */
class ExactBackwardTest {

    private static final int[] WIDTHS = {7, 6, 5, 3};
    private static final int EXAMPLES = 9;

    @ParameterizedTest
    @EnumSource(LearningRule.class)
    void handWrittenGradientsEqualAutograds(LearningRule rule) {
        try (NDManager m = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.create(WIDTHS, rule, Initializer.XAVIER_UNIFORM, "none",
                    TensorFactory.seeded(m, DataType.FLOAT64, 5));
            NDArray x = m.create(random(EXAMPLES * WIDTHS[0], 1), new Shape(EXAMPLES, WIDTHS[0]));
            NDArray t = oneHot(m, EXAMPLES, WIDTHS[WIDTHS.length - 1]);

            Engine.getInstance().setRandomSeed(3);
            Map<String, double[]> autograd = new LinkedHashMap<>();
            double autogradLoss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = SoftmaxCrossEntropy.mean(mlp.forward(x, Pass.train()), t);
                collector.backward(loss);
                autogradLoss = loss.getDouble();
            }
            for (Parameter p : mlp.parameters()) {
                autograd.put(p.name(), p.array().getGradient().toDoubleArray());
            }

            Engine.getInstance().setRandomSeed(3);
            LossGradients exact = mlp.exactLossGradients(x, t).orElseThrow();

            assertThat(exact.loss().getDouble()).isCloseTo(autogradLoss, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(exact.gradients().keySet()).containsExactlyElementsOf(reversedLayerOrder(mlp));
            for (Parameter p : mlp.parameters()) {
                double[] mine = exact.gradients().get(p.name()).toDoubleArray();
                double[] theirs = autograd.get(p.name());
                assertThat(mine).as(p.name()).hasSameSizeAs(theirs);
                assertThat(maxAbsDiff(mine, theirs)).as(rule + " " + p.name()).isLessThan(1e-12);
                assertThat(maxAbs(theirs)).as("a gradient that is not all zero: " + p.name()).isGreaterThan(1e-6);
            }
        }
    }

    @Test
    void networksWithNormsFallBackToAutograd() {
        try (NDManager m = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.create(WIDTHS, LearningRule.FA, Initializer.XAVIER_UNIFORM, "batch",
                    TensorFactory.seeded(m, DataType.FLOAT64, 5));
            NDArray x = m.create(random(EXAMPLES * WIDTHS[0], 1), new Shape(EXAMPLES, WIDTHS[0]));
            assertThat(mlp.exactLossGradients(x, oneHot(m, EXAMPLES, 3))).isEmpty();
        }
    }

    private static java.util.List<String> reversedLayerOrder(Mlp mlp) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = mlp.layers().size() - 1; i >= 0; i--) {
            String layer = mlp.layers().get(i).name();
            names.add(layer + ".weight");
            names.add(layer + ".bias");
        }
        return names;
    }

    private static NDArray oneHot(NDManager m, int examples, int classes) {
        double[] t = new double[examples * classes];
        for (int i = 0; i < examples; i++) {
            t[i * classes + (i * 7) % classes] = 1;
        }
        return m.create(t, new Shape(examples, classes));
    }

    private static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(-2, 2);
        }
        return v;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double maxAbs(double[] a) {
        double d = 0;
        for (double v : a) {
            d = Math.max(d, Math.abs(v));
        }
        return d;
    }
}
