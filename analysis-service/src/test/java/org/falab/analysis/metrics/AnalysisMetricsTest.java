package org.falab.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.falab.contracts.events.AnalysisResult;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The effective-rank gauges: one per run, layer and quantity, paired with the step they are of; bounded runs. */
class AnalysisMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AnalysisMetrics metrics = new AnalysisMetrics(registry);

    private static AnalysisResult rank(String run, long step, String quantity, double rank) {
        return new AnalysisResult(run, step, 0, "fc1", 0, quantity, rank, 4, 8, 4, 0, Instant.EPOCH);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void everyQuantityHasItsRankAndTheRunItsStep() {
        metrics.effectiveRanks(List.of(rank("run-a", 20, "error-signal", 1.5), rank("run-a", 20, "activity", 3.25)));
        metrics.effectiveRanks(List.of(rank("run-a", 40, "error-signal", 2.0), rank("run-a", 40, "activity", 3.0)));

        assertThat(gauge("falab.effective.rank", "run_id", "run-a", "quantity", "error-signal")).isEqualTo(2.0);
        assertThat(gauge("falab.effective.rank", "run_id", "run-a", "quantity", "activity")).isEqualTo(3.0);
        assertThat(gauge("falab.effective.rank.step", "run_id", "run-a")).isEqualTo(40.0);
        assertThat(registry.find("falab.error.signal.effective.rank").meters()).isEmpty();
    }

    @Test
    void onlyTheLastRunsKeepGauges() {
        for (int i = 0; i <= AnalysisMetrics.RANK_RUNS; i++) {
            metrics.effectiveRanks(List.of(rank("run-" + i, 10L * i, "update", i)));
        }
        assertThat(registry.find("falab.effective.rank").tag("run_id", "run-0").meters()).isEmpty();
        assertThat(registry.find("falab.effective.rank.step").tag("run_id", "run-0").meters()).isEmpty();
        assertThat(registry.find("falab.effective.rank.step").meters()).hasSize(AnalysisMetrics.RANK_RUNS);
        assertThat(gauge("falab.effective.rank.step", "run_id", "run-" + AnalysisMetrics.RANK_RUNS))
                .isEqualTo(10.0 * AnalysisMetrics.RANK_RUNS);
    }
}
