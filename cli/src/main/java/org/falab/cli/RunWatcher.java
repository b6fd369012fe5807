package org.falab.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows runs until each is FAILED or CANCELLED, or SUCCEEDED with every result the analysis computes for its last
 * probe step in its view ({@link AnalysisCompleteness}), or SUCCEEDED for longer than the analysis timeout. Shows one
 * progress bar per run ({@link ProgressDisplay}). Once every run left is waiting for analysis only, it polls faster,
 * so the wait ends within about the analysis timeout after the last run's SUCCEEDED.
 */
public final class RunWatcher {

    private final Gateway gateway;
    private final Ticker ticker;
    private final ProgressDisplay display;
    private final Duration poll;
    private final Duration analysisPoll;
    private final Duration analysisTimeout;

    RunWatcher(Gateway gateway, Ticker ticker, ProgressDisplay display, Duration poll, Duration analysisPoll,
               Duration analysisTimeout) {
        this.gateway = gateway;
        this.ticker = ticker;
        this.display = display;
        this.poll = poll;
        this.analysisPoll = analysisPoll;
        this.analysisTimeout = analysisTimeout;
    }

    /**
     * @param runs run id -> label of its bar (its method; blank: the method in its view), in the order the runs
     *             were submitted
     * @return run id -> its last view, in the same order
     */
    public Map<String, JsonNode> await(Map<String, String> runs) throws InterruptedException {
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        Map<String, Long> succeededSeenAt = new HashMap<>();
        while (true) {
            for (Map.Entry<String, String> entry : runs.entrySet()) {
                String id = entry.getKey();
                if (finished.containsKey(id)) {
                    continue;
                }
                JsonNode run = gateway.run(id);
                display.update(id, ProgressBar.of(id, entry.getValue(), run));
                String state = RunViews.state(run);
                if (state.equals(RunViews.FAILED) || state.equals(RunViews.CANCELLED)) {
                    finished.put(id, run);
                } else if (state.equals(RunViews.SUCCEEDED)) {
                    long now = ticker.nanoTime();
                    List<String> missing = AnalysisCompleteness.missing(run);
                    Long since = succeededSeenAt.get(id);
                    if (since == null) {
                        succeededSeenAt.put(id, now);
                        since = now;
                        if (!missing.isEmpty()) {
                            display.render();
                            display.note(String.format("%-18s waiting up to %d s for the analysis of step %d (%d to "
                                    + "come)", id, analysisTimeout.toSeconds(), AnalysisCompleteness.lastProbeStep(run),
                                    missing.size()));
                        }
                    }
                    if (missing.isEmpty()) {
                        finished.put(id, run);
                    } else if (now - since >= analysisTimeout.toNanos()) {
                        display.render();
                        display.note(String.format("%-18s analysis of step %d incomplete after %d s; missing: %s",
                                id, AnalysisCompleteness.lastProbeStep(run), analysisTimeout.toSeconds(),
                                String.join(", ", missing)));
                        finished.put(id, run);
                    }
                }
            }
            display.render();
            if (finished.size() == runs.size()) {
                Map<String, JsonNode> ordered = new LinkedHashMap<>();
                runs.keySet().forEach(id -> ordered.put(id, finished.get(id)));
                return ordered;
            }
            boolean onlyAnalysisLeft = runs.keySet().stream()
                    .allMatch(id -> finished.containsKey(id) || succeededSeenAt.containsKey(id));
            ticker.sleep(onlyAnalysisLeft ? analysisPoll : poll);
        }
    }
}
