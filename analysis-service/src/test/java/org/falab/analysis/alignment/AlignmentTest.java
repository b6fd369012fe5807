package org.falab.analysis.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Angles and norm ratios on vectors whose answers are known in closed form. */
class AlignmentTest {

    private static final double EPS = 1e-9;

    @Test
    void parallelIsZeroOrthogonalIsNinetyOppositeIsOneEighty() {
        double[] a = {1, 2, 3};
        assertThat(Alignment.angleDegrees(a, a)).isCloseTo(0.0, within(1e-9));
        assertThat(Alignment.angleDegrees(a, new double[] {-1, -2, -3})).isCloseTo(180.0, within(1e-9));
        assertThat(Alignment.angleDegrees(new double[] {1, 0}, new double[] {0, 5})).isCloseTo(90.0, within(EPS));
        assertThat(Alignment.angleDegrees(new double[] {3, -2, 1}, new double[] {1, 2, 1})).isCloseTo(90.0,
                within(EPS));
    }

    @Test
    void knownAnglesBetween() {
        assertThat(Alignment.angleDegrees(new double[] {1, 0}, new double[] {1, 1})).isCloseTo(45.0, within(EPS));
        assertThat(Alignment.angleDegrees(new double[] {1, 0}, new double[] {1, Math.sqrt(3)})).isCloseTo(60.0,
                within(EPS));
        assertThat(Alignment.angleDegrees(new double[] {1, 0}, new double[] {-1, 1})).isCloseTo(135.0, within(EPS));
    }

    @Test
    void scaledCopiesKeepTheAngleAndScaleTheRatio() {
        double[] a = {0.5, -1.5, 2, 4};
        double[] b = {1, 1, -2, 3};
        double angle = Alignment.angleDegrees(a, b);
        for (double scale : new double[] {1e-300, 1e-12, 7, 1e12, 1e300}) {
            assertThat(Alignment.angleDegrees(scaled(a, scale), b)).isCloseTo(angle, within(1e-9));
            assertThat(Alignment.angleDegrees(a, scaled(b, scale))).isCloseTo(angle, within(1e-9));
            assertThat(Alignment.normRatio(a, scaled(a, scale))).isCloseTo(scale, within(1e-12 * scale));
        }
        assertThat(Alignment.angleDegrees(a, scaled(a, 1e300))).isCloseTo(0.0, within(1e-9));
        assertThat(Alignment.angleDegrees(a, scaled(a, -3))).isCloseTo(180.0, within(1e-9));
        // rounding never pushes the result out of [0, 180] or to NaN
        assertThat(Alignment.angleDegrees(new double[] {0.1, 0.2, 0.3}, new double[] {0.1, 0.2, 0.3})).isNotNaN();
    }

    @Test
    void zeroVectorHasNoAngleAndNoRatioOverIt() {
        double[] zero = {0, 0, 0};
        double[] a = {1, 2, 3};
        assertThat(Alignment.angleDegrees(zero, a)).isNull();
        assertThat(Alignment.angleDegrees(a, zero)).isNull();
        assertThat(Alignment.angleDegrees(zero, zero)).isNull();
        assertThat(Alignment.normRatio(zero, a)).isNull();
        assertThat(Alignment.normRatio(a, zero)).isEqualTo(0.0);
        assertThat(Alignment.normRatio(new double[] {3, 4}, new double[] {6, 8})).isCloseTo(2.0, within(EPS));
    }

    @Test
    void matricesAreFlattenedRowMajor() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{0, 1}, {1, 0}});
        assertThat(Alignment.angleDegrees(w, b)).isCloseTo(90.0, within(EPS));
        assertThat(Alignment.normRatio(w, b)).isCloseTo(1.0, within(EPS));
        DMatrixRMaj half = new DMatrixRMaj(new double[][] {{1, 1}, {0, 0}});
        assertThat(Alignment.angleDegrees(w, half)).isCloseTo(60.0, within(EPS));
        assertThatThrownBy(() -> Alignment.angleDegrees(w, new DMatrixRMaj(1, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
    }

    @Test
    void rejectsNonFiniteEntriesAndLengthMismatch() {
        assertThatThrownBy(() -> Alignment.angleDegrees(new double[] {1, Double.NaN}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alignment.angleDegrees(new double[] {1, 1}, new double[] {1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alignment.angleDegrees(new double[] {1, 1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void layerAlignmentNeedsAPairAndNullsWhatDoesNotApply() {
        DMatrixRMaj delta = new DMatrixRMaj(new double[][] {{1, 0}, {0, 0}});
        DMatrixRMaj bp = new DMatrixRMaj(new double[][] {{0, 0}, {0, 2}});
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, 2, 3}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{2, 4, 6}});

        assertThat(LayerAlignment.of(delta, null, w, null)).isEmpty();   // BP run: no pair
        assertThat(LayerAlignment.of(null, null, null, null)).isEmpty();

        LayerAlignment both = LayerAlignment.of(delta, bp, w, b).orElseThrow();
        assertThat(both.errorSignalAngleToBp()).isCloseTo(90.0, within(EPS));
        assertThat(both.weightFeedbackAngle()).isCloseTo(0.0, within(1e-9));
        assertThat(both.feedbackToWeightNormRatio()).isCloseTo(2.0, within(EPS));

        LayerAlignment deltasOnly = LayerAlignment.of(delta, bp, w, null).orElseThrow();
        assertThat(deltasOnly.weightFeedbackAngle()).isNull();
        assertThat(deltasOnly.feedbackToWeightNormRatio()).isNull();

        LayerAlignment weightsOnly = LayerAlignment.of(delta, null, w, b).orElseThrow();
        assertThat(weightsOnly.errorSignalAngleToBp()).isNull();
        assertThat(weightsOnly.weightFeedbackAngle()).isNotNull();

        // DFA: B is not W-shaped, so neither its angle nor its ratio to W is defined
        LayerAlignment dfa = LayerAlignment.of(delta, bp, w, new DMatrixRMaj(3, 10)).orElseThrow();
        assertThat(dfa.weightFeedbackAngle()).isNull();
        assertThat(dfa.feedbackToWeightNormRatio()).isNull();
        assertThat(dfa.errorSignalAngleToBp()).isNotNull();

        // a zero (saturated) BP signal has no direction
        assertThat(LayerAlignment.of(delta, new DMatrixRMaj(2, 2), null, null).orElseThrow().errorSignalAngleToBp())
                .isNull();
        // error signals of one probe batch must have one shape
        assertThatThrownBy(() -> LayerAlignment.of(delta, new DMatrixRMaj(4, 1), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double[] scaled(double[] v, double s) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * s;
        }
        return out;
    }
}
