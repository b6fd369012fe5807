package org.falab.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a sweep until every run is SUCCEEDED or FAILED and each group's error-signal ranks cover its succeeded
 * runs, or for at most the analysis timeout after the last run finished. Prints a line whenever the count changes.
 */
public final class SweepWatcher {

    private final Gateway gateway;
    private final Ticker ticker;
    private final PrintWriter out;
    private final Duration poll;
    private final Duration analysisTimeout;

    public SweepWatcher(Gateway gateway, Ticker ticker, PrintWriter out, Duration poll, Duration analysisTimeout) {
        this.gateway = gateway;
        this.ticker = ticker;
        this.out = out;
        this.poll = poll;
        this.analysisTimeout = analysisTimeout;
    }

    public JsonNode await(String id) throws InterruptedException {
        String last = "";
        Long doneAt = null;
        while (true) {
            JsonNode sweep = gateway.sweep(id);
            int finished = 0;
            int failed = 0;
            String running = "";
            for (JsonNode run : sweep.path("runs")) {
                if (RunViews.terminal(run)) {
                    finished++;
                }
                if (RunViews.FAILED.equals(RunViews.state(run))) {
                    failed++;
                }
                if ("RUNNING".equals(RunViews.state(run))) {
                    running = run.path("id").asText() + " " + run.path("cell");
                }
            }
            String line = String.format("%d/%d runs finished (%d failed)%s", finished, sweep.path("runs").size(),
                    failed, running.isEmpty() ? "" : "; training " + running);
            if (!line.equals(last)) {
                out.println(line);
                out.flush();
                last = line;
            }
            if (finished == sweep.path("runs").size()) {
                long now = ticker.nanoTime();
                doneAt = doneAt == null ? now : doneAt;
                if (ranksComplete(sweep) || now - doneAt >= analysisTimeout.toNanos()) {
                    return sweep;
                }
            }
            ticker.sleep(doneAt == null ? poll : Duration.ofSeconds(1));
        }
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
