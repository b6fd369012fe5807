package org.falab.gateway.sweep;

import org.falab.contracts.stats.SeedStatistics;
import org.falab.contracts.events.Quantities;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.falab.gateway.RunState;
import org.falab.contracts.events.AnalysisResult;
import org.falab.gateway.registry.Run;

/**
 * Folds the runs of a sweep into its view: per-run states and the groups' statistics. Plain Java, no CDI.
 *
 * <ul>
 *   <li>group = runs whose cells are equal except {@code seed};</li>
 *   <li>testAccuracy = the final (latest reported) test accuracy of the group's SUCCEEDED runs;</li>
 *   <li>effectiveRank = per layer, the {@code error-signal} effective rank at each run's last analysed probe step
 *   (the highest step with an error-signal result), over every run of the group that has one, whatever its
 *   state;</li>
 *   <li>std is the sample standard deviation (n - 1 in the denominator), 0 when n = 1.</li>
 * </ul>
 */
public final class SweepAggregator {

    public static final String SEED = "seed";


    private SweepAggregator() {
    }

    public static SweepView aggregate(String sweepId, List<Run> runs) {
        List<SweepView.RunView> views = new ArrayList<>();
        Map<Map<String, Object>, List<Run>> groups = new LinkedHashMap<>();
        boolean done = true;
        for (Run run : runs) {
            Map<String, Object> cell = run.cell() == null ? Map.of() : run.cell();
            views.add(new SweepView.RunView(run.id(), run.state(), cell, run.metrics().testAccuracy()));
            done &= finished(run);
            Map<String, Object> key = new LinkedHashMap<>(cell);
            key.remove(SEED);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
        }
        List<SweepView.Group> groupViews = new ArrayList<>();
        groups.forEach((cell, members) -> groupViews.add(group(cell, members)));
        // one submission made every run of a sweep: they share its owner and project
        Run first = runs.get(0);
        return new SweepView(sweepId, done ? SweepView.DONE : SweepView.RUNNING, first.owner(), first.project(),
                views, groupViews);
    }

    public static SweepView.Summary summary(String sweepId, List<Run> runs) {
        int finished = (int) runs.stream().filter(SweepAggregator::finished).count();
        Instant submitted = runs.stream().map(Run::submittedAt).filter(t -> t != null).min(Comparator.naturalOrder())
                .orElse(null);
        return new SweepView.Summary(sweepId, finished == runs.size() ? SweepView.DONE : SweepView.RUNNING,
                runs.get(0).owner(), runs.get(0).project(), runs.size(), finished, submitted);
    }

    static SweepView.Group group(Map<String, Object> cell, List<Run> runs) {
        List<Double> accuracies = new ArrayList<>();
        Map<Integer, String> layerNames = new TreeMap<>();
        Map<String, List<Double>> ranks = new LinkedHashMap<>();
        for (Run run : runs) {
            if (run.state() == RunState.SUCCEEDED && run.metrics().testAccuracy() != null) {
                accuracies.add(run.metrics().testAccuracy());
            }
            for (AnalysisResult r : lastErrorSignalStep(run)) {
                layerNames.putIfAbsent(r.layerIndex(), r.layer());
                ranks.computeIfAbsent(r.layer(), l -> new ArrayList<>()).add(r.effectiveRank());
            }
        }
        Map<String, SweepView.RankStats> byLayer = new LinkedHashMap<>();
        for (String layer : layerNames.values()) {
            List<Double> values = ranks.remove(layer);
            if (values != null) {
                byLayer.put(layer, new SweepView.RankStats(mean(values), std(values), values.size()));
            }
        }
        int finished = (int) runs.stream().filter(SweepAggregator::finished).count();
        return new SweepView.Group(cell, runs.size(), finished,
                stats(accuracies), byLayer);
    }

    /** The run's error-signal results at its highest analysed step; empty when it has none. */
    static List<AnalysisResult> lastErrorSignalStep(Run run) {
        long last = run.analysis().stream().filter(r -> Quantities.ERROR_SIGNAL.equals(r.quantity()))
                .mapToLong(AnalysisResult::step).max().orElse(-1);
        return run.analysis().stream().filter(r -> Quantities.ERROR_SIGNAL.equals(r.quantity()) && r.step() == last)
                .sorted(Comparator.comparingInt(AnalysisResult::layerIndex)).toList();
    }

    static SweepView.Stats stats(List<Double> values) {
        if (values.isEmpty()) {
            return new SweepView.Stats(null, null, null, null, 0);
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new SweepView.Stats(mean(values), std(values), min, max, values.size());
    }

    static double mean(List<Double> values) {
        return SeedStatistics.mean(values);
    }

    /** Sample standard deviation; 0 for a single value. */
    static double std(List<Double> values) {
        return SeedStatistics.std(values);
    }

    /** SUCCEEDED, FAILED or CANCELLED. */
    private static boolean finished(Run run) {
        return run.state().isTerminal();
    }
}
