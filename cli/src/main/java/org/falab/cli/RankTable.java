package org.falab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.cli.TextTable.Align;
import org.falab.contracts.events.Quantities;

/**
 * The demo's rank table: per run, one row per layer at the run's last analysed probe step, with a column per
 * {@link Quantities#RANKED ranked quantity} (error signal, BP error signal, activity, update), each as {@code
 * effective rank/maximum rank (near-zero rows)}, where the maximum rank is {@code singularValueCount} = min(rows,
 * cols), and, for non-BP runs, the angle between the rule's error signal and BP's ({@code
 * alignment[].errorSignalAngleToBp}) at the same step. "-" where a run has no such result (BP has no BP error
 * signal, and no angle to itself).
 */
public final class RankTable {

    private RankTable() {
    }

    public static List<String> lines(List<JsonNode> runs) {
        List<String> lines = new ArrayList<>();
        lines.add("Effective rank (Roy-Vetterli) per layer at each run's last probe step");
        lines.add("  each quantity: effective rank/maximum rank (near-zero rows), maximum rank = min(rows, cols);"
                + " - = none");
        lines.add("  angle to BP: between the rule's error signal and BP's on the same probe batch, in degrees");
        TextTable table = new TextTable()
                .column("method", Align.LEFT)
                .column("layer", Align.LEFT)
                .column("step", Align.RIGHT);
        for (String quantity : Quantities.RANKED) {
            table.column(quantity, Align.LEFT);
        }
        table.column("angle to BP", Align.RIGHT);
        for (JsonNode run : runs) {
            String method = RunViews.method(run, "?");
            long step = lastAnalysedStep(run);
            if (step < 0) {
                String[] row = new String[4 + Quantities.RANKED.size()];
                java.util.Arrays.fill(row, "-");
                row[0] = method;
                row[1] = "(none)";
                table.row(row);
                continue;
            }
            for (Layer layer : layers(run, step).values()) {
                List<String> row = new ArrayList<>();
                row.add(method);
                row.add(layer.name);
                row.add(Long.toString(step));
                for (String quantity : Quantities.RANKED) {
                    JsonNode result = layer.ranks.get(quantity);
                    row.add(result == null ? "-" : cell(result));
                }
                row.add(isBp(method) || layer.angle == null ? "-"
                        : String.format(Locale.ROOT, "%.1f deg", layer.angle));
                table.row(row.toArray(String[]::new));
            }
        }
        lines.addAll(table.lines(RunTable.WIDTH, 11));
        return lines;
    }

    /** {@code 12.3/256 (0 zero)}: effective rank, its maximum (singularValueCount), near-zero rows. */
    static String cell(JsonNode result) {
        return String.format(Locale.ROOT, "%.1f/%d (%d zero)", result.path("effectiveRank").asDouble(),
                result.path("singularValueCount").asInt(), result.path("nearZeroRows").asInt());
    }

    /** The highest step with an analysis result, or -1. */
    static long lastAnalysedStep(JsonNode run) {
        long last = -1;
        for (JsonNode result : run.path("analysis")) {
            last = Math.max(last, result.path("step").asLong(-1));
        }
        return last;
    }

    private static boolean isBp(String method) {
        return RunViews.BP.equals(method);
    }

    /** The layers with a result at the step, by layer index. */
    private static Map<String, Layer> layers(JsonNode run, long step) {
        Map<Integer, String> order = new TreeMap<>();
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (JsonNode result : run.path("analysis")) {
            if (result.path("step").asLong(-1) == step) {
                Layer layer = layer(layers, order, result);
                layer.ranks.put(result.path("quantity").asText(), result);
            }
        }
        for (JsonNode alignment : run.path("alignment")) {
            if (alignment.path("step").asLong(-1) == step && alignment.path("errorSignalAngleToBp").isNumber()) {
                layer(layers, order, alignment).angle = alignment.path("errorSignalAngleToBp").asDouble();
            }
        }
        Map<String, Layer> sorted = new LinkedHashMap<>();
        for (String name : order.values()) {
            sorted.put(name, layers.get(name));
        }
        for (Map.Entry<String, Layer> layer : layers.entrySet()) {
            sorted.putIfAbsent(layer.getKey(), layer.getValue());
        }
        return sorted;
    }

    private static Layer layer(Map<String, Layer> layers, Map<Integer, String> order, JsonNode result) {
        String name = result.path("layer").asText("?");
        if (result.path("layerIndex").isInt()) {
            order.putIfAbsent(result.path("layerIndex").asInt(), name);
        }
        return layers.computeIfAbsent(name, Layer::new);
    }

    private static final class Layer {
        final String name;
        final Map<String, JsonNode> ranks = new LinkedHashMap<>();
        Double angle;

        Layer(String name) {
            this.name = name;
        }
    }
}
