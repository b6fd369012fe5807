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
    void gramRouteAgreesWithBidiagonalRouteAndEjmlSvdOnAWellConditionedMatrix() {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(90, 30, -1, 1, new Random(11));
        double[] gram = GramRoute.singularValues(EffectiveRank.tallRows(a, 1), 30);
        assertThat(gram).as("a uniform 90x30 matrix is well conditioned: the Gram route must accept it").isNotNull();
        double[] bidiagonal = BidiagonalRoute.singularValues(EffectiveRank.tallRows(a, 1), 30);
        double[] svd = org.ejml.dense.row.SingularOps_DDRM.singularValues(a);
        Arrays.sort(gram);
        Arrays.sort(bidiagonal);
        Arrays.sort(svd);
        assertThat(gram).containsExactly(svd, within(1e-12 * svd[svd.length - 1]));
        assertThat(bidiagonal).containsExactly(svd, within(1e-12 * svd[svd.length - 1]));
    }

    /**
     * A = U diag(σ) Vᵀ with random orthonormal U and V, so that erank is known from σ. The spectra are the ones
     * each route exists for: a well-conditioned one (Gram matrix), k large values over float32-sized noise
     * (deflation), a geometric decay to 1e-9 with no gap (bidiagonalisation), and a near-square matrix.
     */
    @ParameterizedTest
    @CsvSource({
            "400, 40, flat, GRAM",
            "400, 40, gap, DEFLATED_GRAM",
            "40, 400, gap, DEFLATED_GRAM",
            "400, 40, decay, BIDIAGONAL",
            "50, 40, decay, BIDIAGONAL"})
    void agreesWithAKnownSpectrumToOneInTenBillion(int rows, int cols, String spectrum, EffectiveRank.Route route) {
        int n = Math.min(rows, cols);
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = switch (spectrum) {
                case "flat" -> 1 + 0.5 * i / n;
                case "gap" -> i < 5 ? 1 + i : 1e-8 * (1 + 0.01 * i);
                default -> Math.pow(1e-9, (double) i / (n - 1));
            };
        }
        Random rnd = new Random(rows * 7919L + cols);
        DMatrixRMaj u = orthonormalColumns(rows, n, rnd);
        DMatrixRMaj v = orthonormalColumns(cols, n, rnd);
        DMatrixRMaj us = new DMatrixRMaj(rows, n);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) {
                us.set(r, c, u.get(r, c) * sigma[c]);
            }
        }
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(us, v, a);

        double expected = EffectiveRank.fromSingularValues(sigma);
        assertThat(EffectiveRank.route(a)).isEqualTo(route);
        assertThat(EffectiveRank.of(a)).isCloseTo(expected, within(1e-10 * expected));
    }

    @Test
    void deadUnitsAreExactZeroSingularValuesAndKeepTheGramRoute() {
        // a ReLU probe: examples x units, every third unit never active
        Random rnd = new Random(3);
        DMatrixRMaj a = new DMatrixRMaj(300, 30);
        for (int r = 0; r < 300; r++) {
            for (int c = 0; c < 30; c++) {
                a.set(r, c, c % 3 == 2 ? 0 : Math.max(0, rnd.nextGaussian()));
            }
        }
        double[] sigma = EffectiveRank.singularValues(a);
        assertThat(sigma).hasSize(30);
        assertThat(Arrays.stream(sigma).filter(s -> s == 0).count()).isEqualTo(10);
        assertThat(EffectiveRank.route(a)).isEqualTo(EffectiveRank.Route.GRAM);
        double[] svd = org.ejml.dense.row.SingularOps_DDRM.singularValues(a);
        assertThat(EffectiveRank.of(a)).isCloseTo(EffectiveRank.fromSingularValues(svd), within(1e-12 * 20));
    }

    @Test
    void anAllZeroMatrixTakesNoRoute() {
        assertThat(EffectiveRank.route(new DMatrixRMaj(5, 3))).isEqualTo(EffectiveRank.Route.ZERO);
    }

    private static DMatrixRMaj orthonormalColumns(int rows, int cols, Random rnd) {
        DMatrixRMaj g = RandomMatrices_DDRM.rectangleGaussian(rows, cols, 0, 1, rnd);
        var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(rows, cols);
        assertThat(qr.decompose(g)).isTrue();
        return qr.getQ(null, true);
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
