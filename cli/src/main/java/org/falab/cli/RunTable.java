package org.falab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.cli.TextTable.Align;

/**
 * The demo's first table, one row per run: state, test accuracy, final train loss, steps, time per step and
 * start-up ({@link RunTiming}), and beside the row the run's WARNING events ({@code warnings[].reason}, e.g. a
 * diverging loss) and, for a FAILED run, its reason.
 */
public final class RunTable {

    /** Lines stay within this width; the warnings column wraps. */
    public static final int WIDTH = 120;
    private static final int MIN_WARNINGS_WIDTH = 30;

    private RunTable() {
    }

    public static List<String> lines(List<JsonNode> runs) {
        List<String> lines = new ArrayList<>();
        lines.add("Runs: per step = (finishedAt - startedAt) / steps; "
                + "start-up = training time - (finishedAt - startedAt),");
        lines.add("  the data loading and engine start before the first step (a fresh trainer's first run pays most)");
        TextTable table = new TextTable()
                .column("run", Align.LEFT)
                .column("method", Align.LEFT)
                .column("state", Align.LEFT)
                .column("test acc", Align.RIGHT)
                .column("train loss", Align.RIGHT)
                .column("steps", Align.RIGHT)
                .column("per step", Align.RIGHT)
                .column("start-up", Align.RIGHT)
                .column("warnings", Align.LEFT);
        boolean anyFallback = false;
        for (JsonNode run : runs) {
            RunTiming timing = RunTiming.of(run);
            anyFallback |= timing.fallback();
            JsonNode metrics = run.path("metrics");
            table.row(run.path("id").asText("?"),
                    RunViews.method(run, "?"),
                    RunViews.state(run),
                    RunViews.fixed(RunViews.number(metrics.path("testAccuracy")), "%.4f"),
                    RunViews.fixed(RunViews.number(metrics.path("trainLoss")), "%.4f"),
                    timing.steps() == null ? "-" : Long.toString(timing.steps()),
                    perStep(timing),
                    timing.startupSeconds() != null ? String.format(Locale.ROOT, "%.1f s", timing.startupSeconds())
                            : timing.fallback() ? "?" : "-",
                    warnings(run));
        }
        lines.addAll(table.lines(WIDTH, MIN_WARNINGS_WIDTH));
        if (anyFallback) {
            lines.add("* this gateway reports no startedAt: per step = training time / steps, start-up included; "
                    + "start-up unknown");
        }
        return lines;
    }

    private static String perStep(RunTiming timing) {
        if (timing.perStepSeconds() == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f ms", timing.perStepSeconds() * 1000) + (timing.fallback() ? "*" : "");
    }

    /** The FAILED reason, then each warning's reason, separated by "; "; "-" when there is none. */
    static String warnings(JsonNode run) {
        List<String> parts = new ArrayList<>();
        if (RunViews.FAILED.equals(RunViews.state(run)) && run.hasNonNull("reason")) {
            parts.add("FAILED: " + run.path("reason").asText());
        }
        for (JsonNode warning : run.path("warnings")) {
            String reason = warning.path("reason").asText("");
            if (!reason.isBlank()) {
                parts.add(reason.strip());
            } else if (warning.path("step").isNumber()) {
                parts.add("warning at step " + warning.path("step").asLong());
            }
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }
}
