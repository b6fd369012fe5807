package org.falab.analysis.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every {@code falab_*} meter of the analysis service (Prometheus names; the Micrometer names use dots).
 * <ul>
 *   <li>{@code falab_analyses_total{outcome}}: snapshot records handled; outcome {@code success},
 *   {@code invalid} (bad record or probe: sent to the dead-letter topic) or {@code error} (store or broker
 *   failure: also sent to the dead-letter topic).</li>
 *   <li>{@code falab_analysis_latency_seconds}: per successful snapshot, from receiving the record to the broker
 *   acknowledging all of its results.</li>
 * </ul>
 */
@ApplicationScoped
public class AnalysisMetrics {

    public enum Outcome {
        SUCCESS, INVALID, ERROR;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Counter success;
    private final Counter invalid;
    private final Counter error;
    private final Timer latency;

    public AnalysisMetrics(MeterRegistry registry) {
        this.success = analyses(registry, Outcome.SUCCESS);
        this.invalid = analyses(registry, Outcome.INVALID);
        this.error = analyses(registry, Outcome.ERROR);
        this.latency = Timer.builder("falab.analysis.latency")
                .description("From receiving a snapshot record to the broker acknowledging all of its results")
                .publishPercentileHistogram()
                .register(registry);
    }

    private static Counter analyses(MeterRegistry registry, Outcome outcome) {
        return Counter.builder("falab.analyses")
                .description("Snapshot records handled, by outcome")
                .tag("outcome", outcome.tag())
                .register(registry);
    }

    public void analysed(Outcome outcome) {
        switch (outcome) {
            case SUCCESS -> success.increment();
            case INVALID -> invalid.increment();
            case ERROR -> error.increment();
        }
    }

    public void latency(Duration duration) {
        latency.record(duration);
    }
}
