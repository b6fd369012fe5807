package org.falab.gateway.sweep;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.FieldViolation;

/**
 * Expands a sweep body {@code {"base": {...}, "variants": [{...}, ...], "grid": {"field": [values], ...}}} into its
 * cells: each variant (default {@code [{}]}) times the cartesian product of the grid (the last grid field varies
 * fastest). A cell's values are the variant's fields plus the grid's values; its spec is the base with those values
 * laid over it. Plain Java; checks the shape of the body only (the specs are checked like any run spec later).
 */
public final class SweepPlanner {

    /** One run of the sweep: its sweep values (field -> value) and its spec as JSON, not yet validated. */
    public record Cell(Map<String, Object> values, ObjectNode spec) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("base", "variants", "grid");

    private SweepPlanner() {
    }

    /**
     * The cells of the sweep in order: variants outermost, then the grid fields in the order given.
     *
     * @throws SweepShapeException naming the part of the body that is malformed, or when there are more than
     *                             {@code maxRuns} cells
     */
    public static List<Cell> plan(JsonNode body, int maxRuns) {
        List<FieldViolation> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new SweepShapeException(List.of(new FieldViolation("body",
                    "must be a JSON object with base, variants and grid")));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!KEYS.contains(name)) {
                errors.add(new FieldViolation(name, "unknown field; known fields: base, grid, variants"));
            }
        });
        JsonNode base = body.get("base");
        if (base == null || !base.isObject()) {
            errors.add(new FieldViolation("base", "is required and must be a JSON object (a run spec)"));
        }
        List<ObjectNode> variants = new ArrayList<>();
        JsonNode variantsNode = body.get("variants");
        if (variantsNode == null || variantsNode.isNull()) {
            variants.add(JSON.createObjectNode());
        } else if (!variantsNode.isArray() || variantsNode.isEmpty()) {
            errors.add(new FieldViolation("variants", "must be a non-empty array of partial run specs"));
        } else {
            for (int i = 0; i < variantsNode.size(); i++) {
                if (variantsNode.get(i).isObject()) {
                    variants.add((ObjectNode) variantsNode.get(i));
                } else {
                    errors.add(new FieldViolation("variants[" + i + "]", "must be a JSON object"));
                }
            }
        }
        Map<String, JsonNode> grid = new LinkedHashMap<>();
        JsonNode gridNode = body.get("grid");
        if (gridNode != null && !gridNode.isNull()) {
            if (!gridNode.isObject()) {
                errors.add(new FieldViolation("grid", "must be a JSON object of field -> array of values"));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = gridNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!field.getValue().isArray() || field.getValue().isEmpty()) {
                        errors.add(new FieldViolation("grid." + field.getKey(),
                                "must be a non-empty array of values"));
                    } else {
                        grid.put(field.getKey(), field.getValue());
                    }
                }
            }
        }
        for (int i = 0; i < variants.size(); i++) {
            for (String field : grid.keySet()) {
                if (variants.get(i).has(field)) {
                    errors.add(new FieldViolation("variants[" + i + "]." + field,
                            "is also a grid field; set it in one place only"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new SweepShapeException(errors);
        }
        long count = variants.size();
        for (JsonNode values : grid.values()) {
            count *= values.size();
            if (count > maxRuns) {
                break;
            }
        }
        if (count > maxRuns) {
            throw new SweepShapeException(List.of(new FieldViolation("grid", "the sweep has more than "
                    + maxRuns + " cells (variants x grid), the limit falab.gateway.sweep.max-runs")));
        }
        List<Cell> cells = new ArrayList<>();
        for (ObjectNode variant : variants) {
            expand(variant, new ArrayList<>(grid.entrySet()), 0, (ObjectNode) base, cells);
        }
        return cells;
    }

    private static void expand(ObjectNode values, List<Map.Entry<String, JsonNode>> grid, int index, ObjectNode base,
                               List<Cell> cells) {
        if (index == grid.size()) {
            ObjectNode spec = base.deepCopy();
            spec.setAll(values);
            @SuppressWarnings("unchecked")
            Map<String, Object> cell = JSON.convertValue(values, LinkedHashMap.class);
            cells.add(new Cell(cell, spec));
            return;
        }
        Map.Entry<String, JsonNode> field = grid.get(index);
        for (JsonNode value : field.getValue()) {
            ObjectNode next = values.deepCopy();
            next.set(field.getKey(), value);
            expand(next, grid, index + 1, base, cells);
        }
    }

    /** The sweep body is malformed or too large; each error names the part. */
    public static class SweepShapeException extends RuntimeException {

        private final List<FieldViolation> errors;

        public SweepShapeException(List<FieldViolation> errors) {
            super(errors.size() == 1 ? "The sweep is invalid: " + errors.get(0).field() + " " + errors.get(0).message()
                    : "The sweep has " + errors.size() + " invalid parts.");
            this.errors = List.copyOf(errors);
        }

        public List<FieldViolation> errors() {
            return errors;
        }
    }
}
