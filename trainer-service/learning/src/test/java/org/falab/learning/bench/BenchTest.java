package org.falab.learning.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark's statistics on known numbers (NumPy's linear quantiles); nothing here is timed. */
class BenchTest {

    @Test
    void quantilesInterpolateBetweenClosestRanksAsNumPyDoes() {
        double[] sorted = {1, 2, 3, 4};
        assertThat(Bench.quantile(sorted, 0.5)).isEqualTo(2.5);
        assertThat(Bench.quantile(sorted, 0.1)).isCloseTo(1.3, within(1e-12));
        assertThat(Bench.quantile(sorted, 0.9)).isCloseTo(3.7, within(1e-12));
        assertThat(Bench.quantile(new double[] {7}, 0.9)).isEqualTo(7);
    }

    @Test
    void aSideSortsThePooledStepsBeforeTakingItsQuantiles() {
        Bench.Side side = Bench.side(List.of(9.0, 1.0, 5.0, 3.0, 7.0), "v");
        assertThat(side.medianMs()).isEqualTo(5.0);
        assertThat(side.p10Ms()).isEqualTo(1.8);
        assertThat(side.p90Ms()).isEqualTo(8.2);
        assertThat(side.n()).isEqualTo(5);
    }
}
