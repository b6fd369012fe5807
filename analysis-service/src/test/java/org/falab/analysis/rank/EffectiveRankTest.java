package org.falab.analysis.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EffectiveRankTest {

    @ParameterizedTest
    @CsvSource({"1", "2", "7", "64"})
    void identityOfSizeNHasEffectiveRankN(int n) {
        assertThat(EffectiveRank.of(CommonOps_DDRM.identity(n))).isCloseTo(n, within(1e-12 * n));
    }

    @ParameterizedTest
    @CsvSource({"200, 10", "10, 200", "30, 30", "1, 50", "50, 1"})
    void rankOneMatrixHasEffectiveRankOne(int rows, int cols) {
        Random rnd = new Random(rows * 31L + cols);
        DMatrixRMaj u = RandomMatrices_DDRM.rectangle(rows, 1, -1, 1, rnd);
        DMatrixRMaj v = RandomMatrices_DDRM.rectangle(1, cols, -1, 1, rnd);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(u, v, a);
        assertThat(EffectiveRank.of(a)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void diagonalWithKnownSingularValuesMatchesTheClosedForm() {
        double[] sigma = {5, 3, 2, 0.5, 0};
        // tall (Gram route) and square (SVD route), signs and order must not matter
        DMatrixRMaj tall = new DMatrixRMaj(20, 5);
        DMatrixRMaj square = new DMatrixRMaj(5, 5);
        double[] signed = {-5, 3, 2, -0.5, 0};
        for (int i = 0; i < 5; i++) {
            tall.set(3 * i + 1, 4 - i, signed[i]);
            square.set(i, (i + 2) % 5, signed[i]);
        }
        double total = Arrays.stream(sigma).sum();
        double entropy = 0;
        for (double s : sigma) {
            if (s > 0) {
                entropy -= s / total * Math.log(s / total);
            }
        }
        double expected = Math.exp(entropy);
        assertThat(expected).isBetween(3.0, 4.0);
        assertThat(EffectiveRank.of(tall)).isCloseTo(expected, within(1e-12 * expected));
        assertThat(EffectiveRank.of(square)).isCloseTo(expected, within(1e-12 * expected));
        double[] values = EffectiveRank.singularValues(tall);
        Arrays.sort(values);
        assertThat(values).containsExactly(new double[] {0, 0.5, 2, 3, 5}, within(1e-12));
    }

    @Test
    void equalSingularValuesGiveTheirCount() {
        assertThat(EffectiveRank.fromSingularValues(new double[] {2, 2, 2, 0, 0})).isCloseTo(3, within(1e-12));
    }

    @Test
    void allZeroMatrixHasEffectiveRankZeroAndOnlyNearZeroRows() {
        DMatrixRMaj zero = new DMatrixRMaj(40, 8);
        assertThat(EffectiveRank.of(zero)).isZero();
        assertThat(EffectiveRank.of(new DMatrixRMaj(8, 8))).isZero();
        assertThat(EffectiveRank.analyse(zero)).isEqualTo(new RankSummary(0, 8, 40, 8, 40));
    }

    @Test
    void effectiveRankIsScaleInvariantAndBoundedByTheRank() {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(128, 16, -1, 1, new Random(7));
        double base = EffectiveRank.of(a);
        assertThat(base).isGreaterThan(1).isLessThanOrEqualTo(16);
        for (double factor : new double[] {1e-150, 1e-3, -2.5, 1e3, 1e150}) {
            DMatrixRMaj scaled = a.copy();
            CommonOps_DDRM.scale(factor, scaled);
            assertThat(EffectiveRank.of(scaled)).as("factor %s", factor).isCloseTo(base, within(1e-12 * base));
        }
    }

    @Test
    void gramRouteAgreesWithSvdRoute() {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(90, 30, -1, 1, new Random(11));
        double[] gram = EffectiveRank.singularValuesFromGram(a);
        double[] svd = org.ejml.dense.row.SingularOps_DDRM.singularValues(a);
        Arrays.sort(gram);
        Arrays.sort(svd);
        assertThat(gram).containsExactly(svd, within(1e-12 * svd[svd.length - 1]));
    }

    @Test
    void countsNearZeroRowsRelativeToTheLargestRow() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {
                {3, 4},          // norm 5: the largest
                {0, 0},          // zero
                {1e-6, 0},       // 1e-6 < 5e-6: near zero
                {0, 5e-6},       // exactly at the threshold: not below it
                {1, 1}});
        assertThat(EffectiveRank.nearZeroRows(a)).isEqualTo(2);
    }

    @Test
    void rejectsNonFiniteEntries() {
        DMatrixRMaj a = CommonOps_DDRM.identity(3);
        a.set(1, 2, Double.NaN);
        assertThatThrownBy(() -> EffectiveRank.of(a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1, column 2");
    }
}
