package org.falab.analysis.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.contracts.events.AnalysisResult;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Every {@code falab_*} meter of the analysis service (Prometheus names; the Micrometer names use dots).
 * <ul>
 *   <li>{@code falab_analyses_total{outcome}}: snapshot records handled; outcome {@code success},
 *   {@code invalid} (bad record or probe: sent to the dead-letter topic) or {@code error} (store or broker
 *   failure: also sent to the dead-letter topic).</li>
 *   <li>{@code falab_analysis_latency_seconds}: per successful snapshot, from receiving the record to the broker
 *   acknowledging all of its results.</li>
 *   <li>{@code falab_alignment_results_total}: alignment results published (acknowledged by the broker).</li>
 *   <li>{@code falab_analysis_object_store_unavailable_total}: object reads that failed because the store was
 *   unreachable or answered 5xx; each is retried with backoff, so a rising count with no dead letters is an outage
 *   ridden out.</li>
 *   <li>{@code falab_effective_rank{run_id,layer,quantity}}: the latest effective rank of each probed layer and
 *   quantity (the error signal, the activity or the update: the label says which); only the last
 *   {@value #RANK_RUNS} runs keep gauges (bounded labels), Prometheus keeps the history.</li>
 *   <li>{@code falab_effective_rank_step{run_id}}: the training step those gauges are of, set in the same call, so
 *   that a scrape pairs each rank with its step (the x axis of the dashboards' rank curves).</li>
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

    /** Runs whose effective-rank gauges are kept; older runs' gauges are removed. */
    public static final int RANK_RUNS = 20;

    private final MeterRegistry registry;
    private final Map<String, Double> ranks = new ConcurrentHashMap<>();
    private final Map<String, Double> rankSteps = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, List<Meter>> rankRuns = new LinkedHashMap<>();
    private final Counter success;
    private final Counter invalid;
    private final Counter error;
    private final Timer latency;
    private final Counter alignmentResults;
    private final Counter objectStoreUnavailable;

    public AnalysisMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.success = analyses(registry, Outcome.SUCCESS);
        this.invalid = analyses(registry, Outcome.INVALID);
        this.error = analyses(registry, Outcome.ERROR);
        this.latency = Timer.builder("falab.analysis.latency")
                .description("From receiving a snapshot record to the broker acknowledging all of its results")
                .publishPercentileHistogram()
                .register(registry);
        this.alignmentResults = Counter.builder("falab.alignment.results")
                .description("Alignment results published (acknowledged by the broker)")
                .register(registry);
        this.objectStoreUnavailable = Counter.builder("falab.analysis.object.store.unavailable")
                .description("Snapshot object reads that failed transiently (store unreachable, 5xx) and are retried")
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

    /** Counts one failed, retried attempt to read a snapshot object. */
    public void objectStoreUnavailable() {
        objectStoreUnavailable.increment();
    }

    /** Counts alignment results the broker acknowledged. */
    public void alignmentResults(int count) {
        alignmentResults.increment(count);
    }

    /** Sets the effective-rank gauges of the results' (run, layer, quantity); keeps the last RANK_RUNS runs. */
    public synchronized void effectiveRanks(List<AnalysisResult> results) {
        for (AnalysisResult r : results) {
            String key = r.runId() + '\u0000' + r.layer() + '\u0000' + r.quantity();
            if (ranks.put(key, r.effectiveRank()) == null) {
                Meter gauge = Gauge.builder("falab.effective.rank", ranks, m -> m.getOrDefault(key, Double.NaN))
                        .tags(Tags.of("run_id", r.runId(), "layer", r.layer(), "quantity", r.quantity()))
                        .description("latest effective rank of a probed quantity (per run, layer, quantity)")
                        .register(registry);
                rankRuns.computeIfAbsent(r.runId(), id -> new ArrayList<>()).add(gauge);
            }
            if (rankSteps.put(r.runId(), (double) r.step()) == null) {
                String runId = r.runId();
                rankRuns.computeIfAbsent(runId, id -> new ArrayList<>()).add(Gauge.builder("falab.effective.rank.step", rankSteps,
                                m -> m.getOrDefault(runId, Double.NaN))
                        .tag("run_id", runId)
                        .description("training step of the latest effective ranks of the run")
                        .register(registry));
            }
        }
        while (rankRuns.size() > RANK_RUNS) {
            String oldest = rankRuns.keySet().iterator().next();
            for (Meter gauge : rankRuns.remove(oldest)) {
                registry.remove(gauge);
            }
            ranks.keySet().removeIf(k -> k.startsWith(oldest + '\u0000'));
            rankSteps.remove(oldest);
        }
    }
}
