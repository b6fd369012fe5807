package org.falab.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.events.Quantities;

/**
 * The rows of {@code falab results RUN_ID --format csv}: one per probe step and layer, in step then layer order,
 * with the effective rank, maximum rank (singular values) and near-zero rows of each {@link Quantities#RANKED ranked
 * quantity}, and the alignment figures (the angle between the rule's error signal and BP's, the W-B angle, the
 * feedback-to-weight norm ratio). Column names are snake_case ({@code error_signal_effective_rank}), so that pandas
 * gives them as attributes. Empty where the run has no such figure (BP has no BP error signal nor angle to it).
 */
final class RunResultsCsv {

    private RunResultsCsv() {
    }

    static List<String> header() {
        List<String> header = new ArrayList<>(List.of("run_id", "method", "step", "epoch", "layer", "layer_index"));
        for (String quantity : Quantities.RANKED) {
            String column = quantity.replace('-', '_');
            header.addAll(List.of(column + "_effective_rank", column + "_max_rank", column + "_near_zero_rows"));
        }
        header.addAll(List.of("error_signal_angle_to_bp", "weight_feedback_angle", "feedback_to_weight_norm_ratio"));
        return header;
    }

    static Rows of(JsonNode run) {
        String id = run.path("id").asText();
        String method = RunViews.method(run, "");
        Map<String, Point> points = new LinkedHashMap<>();
        for (JsonNode result : run.path("analysis")) {
            point(points, result).ranks.put(result.path("quantity").asText(), result);
        }
        for (JsonNode alignment : run.path("alignment")) {
            point(points, alignment).alignment = alignment;
        }
        List<Point> ordered = new ArrayList<>(points.values());
        ordered.sort(Comparator.comparingLong((Point p) -> p.step).thenComparingInt(p -> p.layerIndex));
        List<List<String>> rows = new ArrayList<>();
        for (Point point : ordered) {
            List<String> row = new ArrayList<>(List.of(id, method, Long.toString(point.step),
                    text(point.first.get("epoch")), point.layer, text(point.first.get("layerIndex"))));
            for (String quantity : Quantities.RANKED) {
                JsonNode rank = point.ranks.get(quantity);
                row.add(rank == null ? "" : text(rank.get("effectiveRank")));
                row.add(rank == null ? "" : text(rank.get("singularValueCount")));
                row.add(rank == null ? "" : text(rank.get("nearZeroRows")));
            }
            JsonNode alignment = point.alignment;
            row.add(alignment == null ? "" : text(alignment.get("errorSignalAngleToBp")));
            row.add(alignment == null ? "" : text(alignment.get("weightFeedbackAngle")));
            row.add(alignment == null ? "" : text(alignment.get("feedbackToWeightNormRatio")));
            rows.add(row);
        }
        return new Rows(header(), rows);
    }

    /** A JSON value as a CSV field: numbers as Jackson writes them (pandas reads 1.0E-5), null or absent empty. */
    static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? "" : value.asText();
    }

    private static Point point(Map<String, Point> points, JsonNode result) {
        long step = result.path("step").asLong();
        String layer = result.path("layer").asText();
        return points.computeIfAbsent(step + "\u0000" + layer, k -> new Point(step, layer, result));
    }

    private static final class Point {
        final long step;
        final String layer;
        final int layerIndex;
        final JsonNode first;
        final Map<String, JsonNode> ranks = new LinkedHashMap<>();
        JsonNode alignment;

        Point(long step, String layer, JsonNode first) {
            this.step = step;
            this.layer = layer;
            this.layerIndex = first.path("layerIndex").asInt(Integer.MAX_VALUE);
            this.first = first;
        }
    }
}
