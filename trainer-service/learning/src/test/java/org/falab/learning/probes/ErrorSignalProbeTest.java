package org.falab.learning.probes;

import org.falab.contracts.events.Quantities;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.falab.learning.data.Batch;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.data.SyntheticTeacher;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.LinearLayer;
import org.falab.learning.models.Mlp;
import org.falab.contracts.spec.LearningRule;
import org.falab.learning.train.LayerSignal;
import org.junit.jupiter.api.Test;

/**
 * The probe's δ against a hand computation on a 32-16-10 MLP in float64: δ_2 = (softmax(a_2) - t)/n
 * and δ_1 = (δ_2·M) ⊙ [a_1 > 0], with M = B_2 under FA and W_2 under BP.
 */
class ErrorSignalProbeTest {

    private static final int N = 12;
    private static final int IN = SyntheticTeacher.INPUTS;
    private static final int H = 16;
    private static final int C = 10;
    private static final double TOL = 1e-6; // the probe hands out float32

    @Test
    void underFaTheFirstLayerSignalIsDelta2TimesB2NotW2() {
        Signals s = probe(LearningRule.FA);
        assertClose(s.recorded.get(1).values(), s.delta2, "δ_fc2");
        assertClose(s.recorded.get(0).values(), s.delta1(s.feedback2), "δ_fc1 = (δ_2·B_2) ⊙ relu'");
        assertThat(maxAbsDiff(s.recorded.get(0).values(), s.delta1(s.weight2))).isGreaterThan(1e-3);
        // the true BP signal on the same batch, recorded beside it: through W_2
        List<LayerSignal> bp = quantity(s.all, Quantities.BP_ERROR_SIGNAL);
        assertClose(bp.get(1).values(), s.delta2, "bp δ_fc2");
        assertClose(bp.get(0).values(), s.delta1(s.weight2), "bp δ_fc1 = (δ_2·W_2) ⊙ relu'");
        assertThat(quantity(s.all, Quantities.FEEDBACK)).extracting(LayerSignal::layer).containsExactly("fc1", "fc2");
        assertClose(quantity(s.all, Quantities.FEEDBACK).get(1).values(), s.feedback2, "B_2 as recorded");
        assertThat(quantity(s.all, Quantities.ACTIVITY)).extracting(LayerSignal::cols).containsExactly(IN, H);
    }

    private static List<LayerSignal> quantity(List<LayerSignal> all, String q) {
        return all.stream().filter(x -> x.quantity().equals(q)).toList();
    }

    @Test
    void underBpTheFirstLayerSignalIsDelta2TimesW2() {
        Signals s = probe(LearningRule.BP);
        assertClose(s.recorded.get(1).values(), s.delta2, "δ_fc2");
        assertClose(s.recorded.get(0).values(), s.delta1(s.weight2), "δ_fc1 = (δ_2·W_2) ⊙ relu'");
        assertThat(quantity(s.all, Quantities.BP_ERROR_SIGNAL)).as("no twin pass under BP").isEmpty();
        assertThat(quantity(s.all, Quantities.FEEDBACK)).isEmpty();
        assertThat(quantity(s.all, Quantities.WEIGHT)).extracting(LayerSignal::layout).containsOnly("out x in");
    }

    private record Signals(List<LayerSignal> recorded, List<LayerSignal> all, double[] a1, double[] delta2, double[] weight2,
            double[] feedback2) {
        double[] delta1(double[] m) {
            double[] d = new double[N * H];
            for (int n = 0; n < N; n++) {
                for (int j = 0; j < H; j++) {
                    double s = 0;
                    for (int c = 0; c < C; c++) {
                        s += delta2[n * C + c] * m[c * H + j];
                    }
                    d[n * H + j] = a1[n * H + j] > 0 ? s : 0;
                }
            }
            return d;
        }
    }

    private Signals probe(LearningRule rule) {
        LabelledExamples train = SyntheticTeacher.standard().trainSplit();
        int[] order = new int[N];
        for (int i = 0; i < N; i++) {
            order[i] = 3 * i;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(rule, new int[] {IN, H, C}, Initializer.XAVIER_UNIFORM, 11L, manager,
                    DataType.FLOAT64);
            Batch batch = Batch.of(manager, train, order, 0, N, DataType.FLOAT64);
            double[] w1Before = mlp.layers().get(0).weight().toDoubleArray();
            List<LayerSignal> all = ErrorSignalProbe.on(batch).record(mlp);
            List<LayerSignal> recorded = quantity(all, Quantities.ERROR_SIGNAL);
            assertThat(mlp.layers().get(0).weight().toDoubleArray()).as("probe applies no update").isEqualTo(w1Before);

            assertThat(recorded).extracting(LayerSignal::layer).containsExactly("fc1", "fc2");
            assertThat(recorded).extracting(LayerSignal::rows).containsExactly(N, N);
            assertThat(recorded).extracting(LayerSignal::cols).containsExactly(H, C);

            double[] x = batch.inputs().toDoubleArray();
            LinearLayer fc1 = mlp.layers().get(0);
            LinearLayer fc2 = mlp.layers().get(1);
            double[] a1 = affine(x, fc1.weight().toDoubleArray(), fc1.bias().toDoubleArray(), IN, H);
            double[] h1 = a1.clone();
            for (int i = 0; i < h1.length; i++) {
                h1[i] = Math.max(0, h1[i]);
            }
            double[] a2 = affine(h1, fc2.weight().toDoubleArray(), fc2.bias().toDoubleArray(), H, C);
            double[] delta2 = new double[N * C];
            for (int n = 0; n < N; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < C; c++) {
                    max = Math.max(max, a2[n * C + c]);
                }
                double z = 0;
                for (int c = 0; c < C; c++) {
                    z += Math.exp(a2[n * C + c] - max);
                }
                for (int c = 0; c < C; c++) {
                    double p = Math.exp(a2[n * C + c] - max) / z;
                    delta2[n * C + c] = (p - (batch.labels()[n] == c ? 1 : 0)) / N;
                }
            }
            double[] b2 = fc2.feedback() == null ? null : fc2.feedback().toDoubleArray();
            return new Signals(recorded, all, a1, delta2, fc2.weight().toDoubleArray(), b2);
        }
    }

    private static double[] affine(double[] x, double[] w, double[] b, int in, int out) {
        double[] y = new double[N * out];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[n * in + i] * w[o * in + i];
                }
                y[n * out + o] = s;
            }
        }
        return y;
    }

    private static double maxAbsDiff(float[] a, double[] e) {
        assertThat(a).hasSize(e.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - e[i]));
        }
        return m;
    }

    private static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(maxAbsDiff(actual, expected)).as(what).isLessThan(TOL);
    }
}
