package org.falab.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a sweep until every run is SUCCEEDED, FAILED or CANCELLED and each group's error-signal ranks cover its
 * succeeded runs, or for at most the analysis timeout after the last run finished. Shows one progress bar per run
 * ({@link ProgressDisplay}, labelled by its cell) and a note whenever the count of finished runs changes. The sweep
 * view holds each run's state only, so a run that has left the queue is read in full ({@code GET
 * /api/v1/runs/{id}}) at each poll until its view is final.
 */
public final class SweepWatcher {

    private final Gateway gateway;
    private final Ticker ticker;
    private final ProgressDisplay display;
    private final Duration poll;
    private final Duration analysisTimeout;

    SweepWatcher(Gateway gateway, Ticker ticker, ProgressDisplay display, Duration poll, Duration analysisTimeout) {
        this.gateway = gateway;
        this.ticker = ticker;
        this.display = display;
        this.poll = poll;
        this.analysisTimeout = analysisTimeout;
    }

    public JsonNode await(String id) throws InterruptedException {
        String last = "";
        Long doneAt = null;
        Map<String, JsonNode> views = new HashMap<>();
        while (true) {
            JsonNode sweep = gateway.sweep(id);
            int finished = 0;
            int failed = 0;
            int cancelled = 0;
            List<JsonNode> runs = new ArrayList<>();
            sweep.path("runs").forEach(runs::add);
            int labelWidth = runs.stream().mapToInt(r -> label(r.path("cell")).length()).max().orElse(0);
            for (JsonNode summary : runs) {
                String runId = summary.path("id").asText();
                String state = RunViews.state(summary);
                JsonNode view = views.get(runId);
                if (view == null ? !"QUEUED".equals(state) : !RunViews.terminal(view)) {
                    view = gateway.run(runId);
                    views.put(runId, view);
                }
                String label = String.format("%-" + Math.max(1, labelWidth) + "s", label(summary.path("cell")));
                display.update(runId, ProgressBar.of(runId, label, view == null ? summary : view));
                finished += RunViews.terminal(summary) ? 1 : 0;
                failed += RunViews.FAILED.equals(state) ? 1 : 0;
                cancelled += RunViews.CANCELLED.equals(state) ? 1 : 0;
            }
            String line = String.format("%s: %d/%d runs finished (%d failed, %d cancelled)", id, finished,
                    runs.size(), failed, cancelled);
            if (!line.equals(last)) {
                display.note(line);
                last = line;
            }
            display.render();
            if (finished == runs.size()) {
                long now = ticker.nanoTime();
                doneAt = doneAt == null ? now : doneAt;
                if (ranksComplete(sweep) || now - doneAt >= analysisTimeout.toNanos()) {
                    return sweep;
                }
            }
            ticker.sleep(doneAt == null ? poll : Duration.ofSeconds(1));
        }
    }

    /** A cell's values, e.g. {@code fa/muon/mlp/1}: the bar's label (the tables name the fields). */
    static String label(JsonNode cell) {
        List<String> values = new ArrayList<>();
        cell.elements().forEachRemaining(v -> values.add(v.asText()));
        return String.join("/", values);
    }

    /** Every group's error-signal rank of every layer counts as many runs as the group has succeeded runs. */
    static boolean ranksComplete(JsonNode sweep) {
        for (JsonNode group : sweep.path("groups")) {
            int succeeded = (int) Math.round(group.path("testAccuracy").path("n").asDouble());
            if (succeeded == 0) {
                continue;
            }
            Iterator<JsonNode> layers = group.path("effectiveRank").elements();
            if (!layers.hasNext()) {
                return false;
            }
            while (layers.hasNext()) {
                if (layers.next().path("n").asInt() < succeeded) {
                    return false;
                }
            }
        }
        return true;
    }
}
