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
import org.falab.analysis.events.AnalysisResult;

/**
 * The results this instance has published, in memory, for {@code GET /api/v1/analysis/{runId}}.
 *
 * <p>Not durable and not shared between instances: after a restart, or for snapshots another instance analysed,
 * it knows nothing. The durable view is the gateway's, rebuilt from {@code falab.analysis-results}. Bounded:
 * at most {@code falab.analysis.max-results-per-run} results per run (the lowest steps are dropped first) and
 * {@code falab.analysis.max-runs} runs (the least recently updated run is dropped). A redelivered snapshot
 * replaces its earlier results instead of duplicating them.
 */
@ApplicationScoped
public class ResultStore {

    private static final Comparator<Key> ORDER =
            Comparator.comparingLong(Key::step).thenComparingInt(Key::layerIndex).thenComparing(Key::quantity);

    private record Key(long step, int layerIndex, String quantity) {
    }

    private final int maxResultsPerRun;
    private final int maxRuns;
    private final LinkedHashMap<String, TreeMap<Key, AnalysisResult>> runs = new LinkedHashMap<>(16, 0.75f, true);

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
        for (AnalysisResult r : results) {
            TreeMap<Key, AnalysisResult> run = runs.computeIfAbsent(r.runId(), id -> new TreeMap<>(ORDER));
            run.put(new Key(r.step(), r.layerIndex(), r.quantity()), r);
            while (run.size() > maxResultsPerRun) {
                run.pollFirstEntry();
            }
        }
        while (runs.size() > maxRuns) {
            Map.Entry<String, TreeMap<Key, AnalysisResult>> eldest = runs.entrySet().iterator().next();
            runs.remove(eldest.getKey());
        }
    }

    /** The run's results ordered by step, then layerIndex; empty when this instance has none for the run. */
    public synchronized Optional<List<AnalysisResult>> forRun(String runId) {
        TreeMap<Key, AnalysisResult> run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.of(new ArrayList<>(run.values()));
    }
}
