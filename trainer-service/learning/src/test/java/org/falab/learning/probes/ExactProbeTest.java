package org.falab.learning.probes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.falab.contracts.spec.LearningRule;
import org.falab.learning.data.Batch;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.data.SyntheticTeacher;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.models.Mlp;
import org.falab.learning.train.LayerSignal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A probe of an MLP without norms comes from one forward and hand-written backward chains; it must record what the
 * two autograd passes record, for every rule, on a float64 network with three hidden layers (brSF's redrawn
 * matrices come from the engine's generator, reseeded identically for both sides).
 */
class ExactProbeTest {

    private static final int[] WIDTHS = {SyntheticTeacher.INPUTS, 12, 9, 7, 10};
    private static final int N = 11;

    @ParameterizedTest
    @EnumSource(LearningRule.class)
    void theHandWrittenProbeRecordsWhatAutogradDoes(LearningRule rule) {
        try (NDManager m = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.create(WIDTHS, rule, Initializer.XAVIER_UNIFORM, "none",
                    TensorFactory.seeded(m, DataType.FLOAT64, 5));
            Batch batch = batch(m);
            assertThat(mlp.exactErrorSignals(batch.inputs(), batch.targets(), true)).as("the exact path").isPresent();
            ErrorSignalProbe probe = ErrorSignalProbe.on(batch);

            Engine.getInstance().setRandomSeed(3);
            List<LayerSignal> exact = probe.record(mlp);
            Engine.getInstance().setRandomSeed(3);
            List<LayerSignal> autograd = probe.recordByAutograd(mlp, ErrorSignalProbe.POSITIONS);

            assertSame(exact, autograd, rule.name());
            // every quantity of the rule: error signal (and BP's, for the non-BP rules) and activity per layer
            long errorSignals = exact.stream().filter(s -> s.quantity().endsWith("error-signal")).count();
            assertThat(errorSignals).isEqualTo(rule == LearningRule.BP ? 4 : 8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch", "layer"})
    void withANormTheProbeStaysOnAutograd(String norm) {
        try (NDManager m = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.create(WIDTHS, LearningRule.FA, Initializer.XAVIER_UNIFORM, norm,
                    TensorFactory.seeded(m, DataType.FLOAT64, 5));
            Batch batch = batch(m);
            assertThat(mlp.exactErrorSignals(batch.inputs(), batch.targets(), true)).isEmpty();
            ErrorSignalProbe probe = ErrorSignalProbe.on(batch);
            assertSame(probe.record(mlp), probe.recordByAutograd(mlp, ErrorSignalProbe.POSITIONS), norm);
        }
    }

    private static Batch batch(NDManager m) {
        LabelledExamples train = SyntheticTeacher.standard().trainSplit();
        int[] order = new int[N];
        for (int i = 0; i < N; i++) {
            order[i] = 5 * i + 1;
        }
        return Batch.of(m, train, order, 0, N, DataType.FLOAT64);
    }

    private static void assertSame(List<LayerSignal> mine, List<LayerSignal> theirs, String what) {
        assertThat(mine).extracting(s -> s.layer() + "/" + s.quantity() + " " + s.rows() + "x" + s.cols() + " "
                + s.layout()).as(what).containsExactlyElementsOf(theirs.stream()
                .map(s -> s.layer() + "/" + s.quantity() + " " + s.rows() + "x" + s.cols() + " " + s.layout())
                .toList());
        for (int i = 0; i < mine.size(); i++) {
            float[] a = mine.get(i).values();
            float[] b = theirs.get(i).values();
            double scale = 0;
            double diff = 0;
            for (int k = 0; k < a.length; k++) {
                scale = Math.max(scale, Math.abs(b[k]));
                diff = Math.max(diff, Math.abs(a[k] - b[k]));
            }
            String name = what + " " + theirs.get(i).layer() + "/" + theirs.get(i).quantity();
            // both come from float64 and are handed out as float32: equal to float32 rounding
            assertThat(diff).as(name).isLessThanOrEqualTo(1e-6 * Math.max(scale, 1e-30));
            if (theirs.get(i).quantity().endsWith("error-signal")) {
                assertThat(scale).as("an error signal that is not all zero: " + name).isGreaterThan(1e-8);
            }
        }
    }
}
