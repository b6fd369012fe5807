package org.falab.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.junit.jupiter.api.Test;

/** The train loss and test accuracy by step that the web page's curves and metrics.csv read, and the change count. */
class RunRegistryHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RunEvent event(RunEventType type, long step, Double loss, Double accuracy) {
        return new RunEvent("run-1", type, T0.plusSeconds(step), 0, step, 100L, loss, accuracy, null, null, null,
                null, null, null, null);
    }

    @Test
    void aStepsLossAndAccuracyFromSeparateEventsAreOnePoint() {
        RunRegistry registry = new RunRegistry();
        registry.onRunEvent(event(RunEventType.PROGRESS, 10, 1.5, null));
        registry.onRunEvent(event(RunEventType.PROGRESS, 20, 1.0, null));
        registry.onRunEvent(event(RunEventType.EPOCH_COMPLETED, 20, null, 0.7));
        registry.onRunEvent(event(RunEventType.PROGRESS, 20, 1.0, null));  // redelivered
        registry.onRunEvent(event(RunEventType.HEARTBEAT, 25, null, null));  // no metric: no point

        List<Run.MetricPoint> history = registry.metricHistory("run-1").orElseThrow();
        assertThat(history).extracting(Run.MetricPoint::step).containsExactly(10L, 20L);
        assertThat(history.get(0).testAccuracy()).isNull();
        assertThat(history.get(1).trainLoss()).isEqualTo(1.0);
        assertThat(history.get(1).testAccuracy()).isEqualTo(0.7);
        assertThat(registry.metricHistory("run-unknown")).isEmpty();
    }

    @Test
    void theHistoryIsBoundedAndKeepsTheNewestStep() {
        RunRegistry registry = new RunRegistry(java.time.Clock.systemUTC(),
                new RunRegistry.Limits(Duration.ofSeconds(60), 16, 5, 3, 8));
        for (long step = 0; step < 100; step++) {
            registry.onRunEvent(event(RunEventType.PROGRESS, step, 2.0 - step / 100.0, null));
        }
        List<Run.MetricPoint> history = registry.metricHistory("run-1").orElseThrow();
        assertThat(history.size()).isBetween(4, 8);
        assertThat(history.get(0).step()).isZero();
        assertThat(history.get(history.size() - 1).step()).isEqualTo(99L);
    }

    @Test
    void everyRecordChangesTheVersionAndTheTableReadsNoSeries() {
        RunRegistry registry = new RunRegistry();
        assertThat(registry.version("run-1")).isEqualTo(-1);
        registry.onRunEvent(event(RunEventType.STARTED, 0, null, null));
        long started = registry.version("run-1");
        registry.onAnalysis(new AnalysisResult("run-1", 0, 0, "fc1", 0, "error-signal", 3.0, 8, 16, 8, 0, T0));
        assertThat(registry.version("run-1")).isGreaterThan(started);

        assertThat(registry.find("run-1").orElseThrow().analysis()).hasSize(1);
        Run light = registry.listWithoutSeries().get(0);
        assertThat(light.id()).isEqualTo("run-1");
        assertThat(light.analysis()).isEmpty();
        assertThat(light.state()).isEqualTo(registry.find("run-1").orElseThrow().state());
    }
}
