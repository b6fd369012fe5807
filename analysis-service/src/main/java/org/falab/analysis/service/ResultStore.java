package org.falab.analysis.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.falab.analysis.config.AnalysisConfig;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;

/**
 * The results this instance has published, in memory, for {@code GET /api/v1/analysis/{runId}} and
 * {@code GET /api/v1/analysis/{runId}/alignment}.
 *
 * <p>Not durable and not shared between instances: after a restart, or for snapshots another instance analysed,
 * it knows nothing. The durable view is the gateway's, rebuilt from {@code falab.analysis-results} and
 * {@code falab.alignment-results}. Bounded: at most {@code falab.analysis.max-results-per-run} rank results and as
 * many alignment results per run (the lowest steps are dropped first) and {@code falab.analysis.max-runs} runs (the
 * least recently updated run is dropped). A redelivered snapshot replaces its earlier results instead of
 * duplicating them.
 */
@ApplicationScoped
public class ResultStore {

    private static final Comparator<Key> ORDER =
            Comparator.comparingLong(Key::step).thenComparingInt(Key::layerIndex).thenComparing(Key::quantity);

    /** quantity is "" for alignment results (one per step and layer). */
    private record Key(long step, int layerIndex, String quantity) {
    }

    private static final class RunResults {
        final TreeMap<Key, AnalysisResult> ranks = new TreeMap<>(ORDER);
        final TreeMap<Key, AlignmentResult> alignments = new TreeMap<>(ORDER);
    }

    private final int maxResultsPerRun;
    private final int maxRuns;
    private final LinkedHashMap<String, RunResults> runs = new LinkedHashMap<>(16, 0.75f, true);

    @Inject
    public ResultStore(AnalysisConfig config) {
        this(config.analysis().maxResultsPerRun(), config.analysis().maxRuns());
    }

    public ResultStore(int maxResultsPerRun, int maxRuns) {
        if (maxResultsPerRun < 1 || maxRuns < 1) {
            throw new IllegalArgumentException("limits must be >= 1");
        }
        this.maxResultsPerRun = maxResultsPerRun;
        this.maxRuns = maxRuns;
    }

    public synchronized void add(List<AnalysisResult> results) {
        add(results, List.of());
    }

    public synchronized void add(List<AnalysisResult> results, List<AlignmentResult> alignments) {
        for (AnalysisResult r : results) {
            put(run(r.runId()).ranks, new Key(r.step(), r.layerIndex(), r.quantity()), r);
        }
        for (AlignmentResult a : alignments) {
            put(run(a.runId()).alignments, new Key(a.step(), a.layerIndex(), ""), a);
        }
        while (runs.size() > maxRuns) {
            Map.Entry<String, RunResults> eldest = runs.entrySet().iterator().next();
            runs.remove(eldest.getKey());
        }
    }

    /** The run's rank results ordered by step, then layerIndex, then quantity; empty when the run is unknown. */
    public synchronized Optional<List<AnalysisResult>> forRun(String runId) {
        RunResults run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.of(new ArrayList<>(run.ranks.values()));
    }

    /**
     * The run's alignment results ordered by step, then layerIndex; empty when the run is unknown, an empty list
     * when it is known but has none (e.g. a BP run).
     */
    public synchronized Optional<List<AlignmentResult>> alignmentsFor(String runId) {
        RunResults run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.of(new ArrayList<>(run.alignments.values()));
    }

    private RunResults run(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunResults());
    }

    private <V> void put(TreeMap<Key, V> results, Key key, V value) {
        results.put(key, value);
        while (results.size() > maxResultsPerRun) {
            results.pollFirstEntry();
        }
    }
}
