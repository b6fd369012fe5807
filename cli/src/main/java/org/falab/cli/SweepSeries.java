package org.falab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The series over training of a finished sweep that {@code falab reproduce} draws (docs/RESULTS.md): per layer, a
 * ranked quantity's effective rank at every analysed probe step, and the angle between the rule's error signal and
 * BP's; the test accuracy at each epoch's end. Each as a {@link SeedSeries}: one curve per cell, mean and spread over
 * its seeds. Cells in {@link SweepReport}'s order, layers by their index in the network.
 */
public final class SweepSeries {

    private SweepSeries() {
    }

    /** Per layer, {@code quantity}'s effective rank at each probe step ({@code analysis[]}). */
    public static Map<String, SeedSeries> rank(JsonNode sweep, Map<String, JsonNode> runs, String quantity) {
        return quantity(sweep, runs, quantity, "effectiveRank");
    }

    /** Per layer, a field of {@code quantity}'s results ({@code effectiveRank}, {@code nearZeroRows}) by step. */
    public static Map<String, SeedSeries> quantity(JsonNode sweep, Map<String, JsonNode> runs, String quantity,
            String field) {
        String what = switch (field) {
            case "effectiveRank" -> "effective rank";
            case "nearZeroRows" -> "near-zero rows";
            default -> field;
        };
        return byLayer(sweep, runs, "analysis",
                result -> quantity.equals(result.path("quantity").asText()) ? result.path(field) : null,
                layer -> new SeedSeries(layer + ": " + what + " of the " + quantity + " over training",
                        "step", what));
    }

    /** Per layer, the angle between the rule's error signal and BP's at each probe step ({@code alignment[]}). */
    public static Map<String, SeedSeries> angleToBp(JsonNode sweep, Map<String, JsonNode> runs) {
        return byLayer(sweep, runs, "alignment", result -> result.path("errorSignalAngleToBp"),
                layer -> new SeedSeries(layer + ": angle between the error signal and BP's", "step", "degrees"));
    }

    /**
     * The test accuracy at the end of each epoch, from each run's metrics history ({@code GET
     * /api/v1/runs/{id}/metrics}: the points with a test accuracy and an epoch).
     *
     * @param histories by run id
     */
    public static SeedSeries testAccuracy(JsonNode sweep, Map<String, JsonNode> histories) {
        SeedSeries series = new SeedSeries("test accuracy over epochs", "epoch", "test accuracy");
        for (JsonNode group : SweepReport.inCellOrder(sweep)) {
            String cell = label(group.path("cell"));
            series.cell(cell);
            for (JsonNode run : runsOf(sweep, group)) {
                JsonNode history = histories.get(run.path("id").asText());
                if (history == null) {
                    continue;
                }
                for (JsonNode point : history) {
                    if (point.path("testAccuracy").isNumber() && point.path("epoch").isNumber()) {
                        series.add(cell, point.path("epoch").asLong(), point.path("testAccuracy").asDouble());
                    }
                }
            }
        }
        return series;
    }

    /**
     * A curve's name in a figure of one model: the cell without its model, the rates shortened ({@code
     * method=fa, optimizer=muon, lr=0.02, adamwLr=0.001}).
     */
    static String label(JsonNode cell) {
        List<String> parts = new ArrayList<>();
        cell.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("model")) {
                String key = switch (f.getKey()) {
                    case "learningRate" -> "lr";
                    case "adamwLearningRate" -> "adamwLr";
                    default -> f.getKey();
                };
                parts.add(key + "=" + f.getValue().asText());
            }
        });
        return parts.isEmpty() ? "(base)" : String.join(", ", parts);
    }

    /**
     * The sweep of one model's cells only (its groups and runs), by model in the order of {@link SweepReport}: a
     * layer name means one layer within a model only. A cell without a model (the model set in the sweep's base)
     * takes the model its runs' specs name, "-" when no run's view is known.
     *
     * @param views run views by id, for the model of a cell that does not vary it
     */
    static Map<String, JsonNode> byModel(JsonNode sweep, Map<String, JsonNode> views) {
        Map<String, JsonNode> models = new LinkedHashMap<>();
        for (JsonNode group : SweepReport.inCellOrder(sweep)) {
            String model = group.path("cell").path("model").asText(null);
            String named = model != null ? model : runsOf(sweep, group).stream()
                        .map(run -> views.getOrDefault(run.path("id").asText(), MissingNode.getInstance()))
                        .map(view -> view.path("spec").path("model").asText(null))
                        .filter(Objects::nonNull).findFirst().orElse("-");
            ObjectNode part = (ObjectNode) models.computeIfAbsent(named, m -> {
                ObjectNode copy = sweep.deepCopy();
                copy.putArray("groups");
                copy.putArray("runs");
                return copy;
            });
            ((ArrayNode) part.get("groups")).add(group);
            runsOf(sweep, group).forEach(((ArrayNode) part.get("runs"))::add);
        }
        return models;
    }

    /** The sweep's run summaries of the group's cell. */
    static List<JsonNode> runsOf(JsonNode sweep, JsonNode group) {
        List<JsonNode> runs = new ArrayList<>();
        for (JsonNode run : sweep.path("runs")) {
            if (SweepReport.sameCellBesidesSeed(run.path("cell"), group.path("cell"))) {
                runs.add(run);
            }
        }
        return runs;
    }

    private static Map<String, SeedSeries> byLayer(JsonNode sweep, Map<String, JsonNode> runs, String field,
            Function<JsonNode, JsonNode> value, Function<String, SeedSeries> newSeries) {
        List<JsonNode> groups = SweepReport.inCellOrder(sweep);
        Map<String, SeedSeries> layers = new LinkedHashMap<>();
        List<String> order = eachResult(sweep, runs, field, (cell, result) -> {
            JsonNode v = value.apply(result);
            if (v == null || !v.isNumber()) {
                return false;
            }
            layers.computeIfAbsent(result.path("layer").asText("?"), l -> {
                // every curve of every figure in the same order and colour: all cells, first to last
                SeedSeries series = newSeries.apply(l);
                groups.forEach(g -> series.cell(label(g.path("cell"))));
                return series;
            }).add(cell, result.path("step").asLong(), v.asDouble());
            return true;
        });
        return inOrder(order, layers);
    }

    /**
     * Offers {@code take} every element of {@code field} ({@code analysis}, {@code alignment}) of every run of the
     * sweep that has a view in {@code runs}, with its cell's label, cells in {@link SweepReport}'s order.
     *
     * @return the layers of the elements {@code take} took, by their index in the network
     */
    static List<String> eachResult(JsonNode sweep, Map<String, JsonNode> runs, String field,
            BiPredicate<String, JsonNode> take) {
        Map<Integer, String> order = new TreeMap<>();
        for (JsonNode group : SweepReport.inCellOrder(sweep)) {
            String cell = label(group.path("cell"));
            for (JsonNode summary : runsOf(sweep, group)) {
                JsonNode run = runs.get(summary.path("id").asText());
                if (run == null) {
                    continue;
                }
                for (JsonNode result : run.path(field)) {
                    if (take.test(cell, result)) {
                        order.putIfAbsent(result.path("layerIndex").asInt(Integer.MAX_VALUE),
                                result.path("layer").asText("?"));
                    }
                }
            }
        }
        return List.copyOf(order.values());
    }

    /** {@code byName} in the order of {@code names}, then whatever else it holds. */
    static <T> Map<String, T> inOrder(List<String> names, Map<String, T> byName) {
        Map<String, T> sorted = new LinkedHashMap<>();
        for (String name : names) {
            if (byName.containsKey(name)) {
                sorted.putIfAbsent(name, byName.get(name));
            }
        }
        byName.forEach(sorted::putIfAbsent);
        return sorted;
    }
}
