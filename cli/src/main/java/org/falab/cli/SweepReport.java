package org.falab.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.events.Quantities;

/**
 * The Markdown tables of {@code falab reproduce} (docs/RESULTS.md): per group of cells equal but for the seed, test
 * accuracy and each layer's error-signal effective rank (mean ± std over seeds); then per group and layer, means at
 * each run's last analysed probe step of the BP error signal's, the activity's and the update's effective rank and
 * of the angle between the rule's error signal and BP's.
 */
public final class SweepReport {

    private SweepReport() {
    }

    /**
     * @param request the submitted body as text, shown under the table; null for a sweep submitted before
     * @param seconds wall time from submission, or null
     */
    public static String table(JsonNode sweep, String request, Double seconds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Sweep `%s`: %d runs%s.%n%n", sweep.path("id").asText(),
                sweep.path("runs").size(), seconds == null ? ""
                        : String.format(Locale.ROOT, ", %.0f s wall time", seconds)));
        md.append("| cell | runs ok | test accuracy mean ± std (min–max) "
                + "| error-signal effective rank per layer, mean ± std |\n");
        md.append("|---|---|---|---|\n");
        for (JsonNode group : inCellOrder(sweep)) {
            JsonNode acc = group.path("testAccuracy");
            List<String> ranks = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = group.path("effectiveRank").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> layer = it.next();
                ranks.add(String.format(Locale.ROOT, "%s %.1f ± %.1f", layer.getKey(),
                        layer.getValue().path("mean").asDouble(), layer.getValue().path("std").asDouble()));
            }
            md.append(String.format(Locale.ROOT, "| %s | %d/%d | %s | %s |%n", cell(group.path("cell")),
                    acc.path("n").asInt(), group.path("runs").asInt(),
                    acc.path("n").asInt() == 0 ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f (%.4f–%.4f)",
                            acc.path("mean").asDouble(), acc.path("std").asDouble(), acc.path("min").asDouble(),
                            acc.path("max").asDouble()),
                    String.join("; ", ranks)));
        }
        if (request != null) {
            md.append("\nRequest:\n\n```json\n").append(request.strip()).append("\n```\n");
        }
        return md.toString();
    }

    /** @param runs the views of the sweep's SUCCEEDED runs, by id */
    public static String detailTable(JsonNode sweep, Map<String, JsonNode> runs) {
        StringBuilder md = new StringBuilder();
        md.append("| cell | layer | erank BP error signal | erank activity | erank update "
                + "| angle to BP error signal (deg) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (JsonNode group : inCellOrder(sweep)) {
            Map<String, double[]> sums = new LinkedHashMap<>(); // layer -> 4 sums and 4 counts
            for (JsonNode summary : sweep.path("runs")) {
                JsonNode run = runs.get(summary.path("id").asText());
                if (run == null || !sameCellBesidesSeed(summary.path("cell"), group.path("cell"))) {
                    continue;
                }
                long last = RankTable.lastAnalysedStep(run);
                for (JsonNode result : run.path("analysis")) {
                    int column = switch (result.path("quantity").asText()) {
                        case Quantities.BP_ERROR_SIGNAL -> 0;
                        case Quantities.ACTIVITY -> 1;
                        case Quantities.UPDATE -> 2;
                        default -> -1;
                    };
                    if (column >= 0 && result.path("step").asLong() == last) {
                        add(sums, result.path("layer").asText(), column, result.path("effectiveRank").asDouble());
                    }
                }
                for (JsonNode alignment : run.path("alignment")) {
                    if (alignment.path("step").asLong() == last && alignment.path("errorSignalAngleToBp").isNumber()) {
                        add(sums, alignment.path("layer").asText(), 3,
                                alignment.path("errorSignalAngleToBp").asDouble());
                    }
                }
            }
            for (Map.Entry<String, double[]> layer : sums.entrySet()) {
                double[] v = layer.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", cell(group.path("cell")),
                        layer.getKey(), mean(v, 0), mean(v, 1), mean(v, 2), mean(v, 3)));
            }
        }
        return md.toString();
    }

    /**
     * Both tables of a sweep ({@link #table}, then {@link #detailTable} over the views of its SUCCEEDED runs, read
     * from {@code gateway}).
     */
    public static String tables(Gateway gateway, JsonNode sweep, String request, Double seconds)
            throws InterruptedException {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (JsonNode run : sweep.path("runs")) {
            if (RunViews.SUCCEEDED.equals(RunViews.state(run))) {
                runs.put(run.path("id").asText(), gateway.run(run.path("id").asText()));
            }
        }
        return table(sweep, request, seconds) + "\n" + detailTable(sweep, runs);
    }

    /** The exit code of a finished sweep ({@link FalabCli#exitCode(java.util.Collection)}); 1 for one of no runs. */
    public static int exitCode(JsonNode sweep) {
        List<JsonNode> runs = new ArrayList<>();
        sweep.path("runs").forEach(runs::add);
        return runs.isEmpty() ? FalabCli.EXIT_RUN_FAILED : FalabCli.exitCode(runs);
    }

    private static void add(Map<String, double[]> sums, String layer, int column, double value) {
        double[] v = sums.computeIfAbsent(layer, l -> new double[8]);
        v[column] += value;
        v[column + 4]++;
    }

    private static String mean(double[] v, int column) {
        return v[column + 4] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", v[column] / v[column + 4]);
    }

    static boolean sameCellBesidesSeed(JsonNode runCell, JsonNode groupCell) {
        if (!runCell.isObject()) {
            return false;
        }
        ObjectNode cell = runCell.deepCopy();
        cell.remove("seed");
        return cell.equals(groupCell);
    }

    /** Groups sorted by model, then by their cell's text (bp before fa, plain fa before its variants). */
    static List<JsonNode> inCellOrder(JsonNode sweep) {
        List<JsonNode> groups = new ArrayList<>();
        sweep.path("groups").forEach(groups::add);
        groups.sort(Comparator.comparing((JsonNode g) -> g.path("cell").path("model").asText())
                .thenComparing(g -> cell(g.path("cell"))));
        return groups;
    }

    static String cell(JsonNode cell) {
        List<String> parts = new ArrayList<>();
        cell.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        return parts.isEmpty() ? "(base)" : String.join(", ", parts);
    }
}
