package org.falab.learning.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.layers.Parameter;
import org.junit.jupiter.api.Test;

/**
 * Updates against the formulas on a float64 vector with loss L = Σ c∘w (gradient c): gradients
 * must not accumulate across steps, and exported state must restore the same trajectory.
 */
class OptimizerTest {

    private static final double[] W0 = {1.0, -2.0, 0.5};
    private static final double[] C = {0.3, -0.1, 2.0};

    @Test
    void sgdWithMomentumAndL2DecayFollowsTorchConvention() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] expected = W0.clone();
        double[] buf = new double[3];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) {
                double d = C[i] + wd * expected[i];
                buf[i] = mu * buf[i] + d;
                expected[i] -= lr * buf[i];
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m);
            Optimizer sgd = new Sgd(List.of(new ParameterGroup("all", List.of(p), lr, wd)), mu);
            steps(sgd, p, 3);
            assertThat(p.array().toDoubleArray()).containsExactly(expected, within(1e-12));
            assertThat(sgd.updates()).isEqualTo(3);
            assertThat(sgd.state()).containsOnlyKeys("w.momentum");
        }
    }

    @Test
    void sgdWithoutMomentumKeepsNoState() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m);
            Optimizer sgd = new Sgd(List.of(new ParameterGroup("all", List.of(p), 0.5, 0)), 0);
            steps(sgd, p, 2);
            assertThat(sgd.state()).isEmpty();
            assertThat(p.array().toDoubleArray()).containsExactly(
                    new double[] {W0[0] - C[0], W0[1] - C[1], W0[2] - C[2]}, within(1e-12));
        }
    }

    @Test
    void adamWMatchesTheFormulaAndResumesFromExportedState() {
        double lr = 0.01;
        double wd = 0.1;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] expected = W0.clone();
        double[] mom = new double[3];
        double[] vel = new double[3];
        for (int t = 1; t <= 4; t++) {
            for (int i = 0; i < 3; i++) {
                expected[i] *= 1 - lr * wd;
                mom[i] = b1 * mom[i] + (1 - b1) * C[i];
                vel[i] = b2 * vel[i] + (1 - b2) * C[i] * C[i];
                double denom = Math.sqrt(vel[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                expected[i] -= lr / (1 - Math.pow(b1, t)) * mom[i] / denom;
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m);
            AdamW adam = new AdamW(List.of(new ParameterGroup("all", List.of(p), lr, wd)));
            steps(adam, p, 2);
            Map<String, NpyArray> saved = Map.of(
                    "w.exp_avg", new NpyArray(new int[] {3}, adam.state().get("w.exp_avg").toDoubleArray()),
                    "w.exp_avg_sq", new NpyArray(new int[] {3}, adam.state().get("w.exp_avg_sq").toDoubleArray()));
            double[] wSaved = p.array().toDoubleArray();

            // a fresh optimiser on a fresh parameter, restored, continues the same trajectory
            Parameter q = new Parameter("w", m.create(wSaved, new Shape(3)), Parameter.Kind.WEIGHT);
            q.array().setRequiresGradient(true);
            AdamW resumed = new AdamW(List.of(new ParameterGroup("all", List.of(q), lr, wd)));
            resumed.restore(saved, adam.updates());
            steps(resumed, q, 2);
            assertThat(q.array().toDoubleArray()).containsExactly(expected, within(1e-12));
            assertThat(resumed.updates()).isEqualTo(4);
        }
    }

    private static Parameter param(NDManager m) {
        NDArray w = m.create(W0.clone(), new Shape(3));
        w.setRequiresGradient(true);
        return new Parameter("w", w, Parameter.Kind.WEIGHT);
    }

    private static void steps(Optimizer optimizer, Parameter p, int n) {
        for (int t = 0; t < n; t++) {
            optimizer.zeroGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray c = p.array().getManager().create(C, new Shape(3));
                collector.backward(p.array().mul(c).sum());
            }
            optimizer.step();
        }
    }
}
