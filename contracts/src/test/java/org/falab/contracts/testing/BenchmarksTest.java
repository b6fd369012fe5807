package org.falab.contracts.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' shared statistics and options on known inputs. */
class BenchmarksTest {

    @Test
    void quantilesInterpolateBetweenClosestRanksAsNumPyDoes() {
        double[] sorted = {1, 2, 3, 4};
        assertThat(Benchmarks.quantile(sorted, 0.5)).isEqualTo(2.5);
        assertThat(Benchmarks.quantile(sorted, 0.1)).isCloseTo(1.3, within(1e-12));
        assertThat(Benchmarks.quantile(sorted, 0.9)).isCloseTo(3.7, within(1e-12));
        assertThat(Benchmarks.quantile(new double[] {7}, 0.9)).isEqualTo(7);
        assertThat(Benchmarks.quantile(Benchmarks.sorted(List.of(4.0, 1.0, 3.0, 2.0)), 0.5)).isEqualTo(2.5);
        assertThatThrownBy(() -> Benchmarks.quantile(new double[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsArePairsExceptTheFlags() {
        assertThat(Benchmarks.options(new String[] {"--threads", "1,2", "--quick", "--out", "x.json"}, "quick"))
                .containsEntry("threads", "1,2").containsEntry("quick", "true").containsEntry("out", "x.json")
                .hasSize(3);
        assertThatThrownBy(() -> Benchmarks.options(new String[] {"--threads"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Benchmarks.options(new String[] {"threads", "2"}))
                .hasMessageContaining("options are");
    }
}
