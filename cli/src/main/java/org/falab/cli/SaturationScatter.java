package org.falab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.falab.contracts.events.Quantities;

/**
 * Per layer, the error signal's effective rank against its near-zero rows at every probe of every run of a sweep:
 * one point per (run, probe step), one colour per cell. science.md: a saturated softmax makes rows of the error signal
 * nearly zero, which caps its rank; drawn this way, a cell whose rank is low only because its probe batch saturated
 * lies on the other cells' curve, one whose error signal has collapsed lies below it.
 */
public final class SaturationScatter {

    /** One point: near-zero rows and effective rank of one probe. */
    public record Point(double nearZeroRows, double effectiveRank) {
    }

    private final String title;
    private final Map<String, List<Point>> cells = new LinkedHashMap<>();

    private SaturationScatter(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** Cells in the sweep's order, each with its points (possibly none). */
    public Map<String, List<Point>> cells() {
        return cells;
    }

    /**
     * Per layer (by layer index), from each run's {@code analysis[]}: the error-signal results with both an
     * effective rank and a near-zero row count.
     *
     * @param runs views by run id (runs without a view are left out)
     */
    public static Map<String, SaturationScatter> of(JsonNode sweep, Map<String, JsonNode> runs) {
        List<JsonNode> groups = SweepReport.inCellOrder(sweep);
        Map<String, SaturationScatter> layers = new LinkedHashMap<>();
        List<String> order = SweepSeries.eachResult(sweep, runs, "analysis", (cell, result) -> {
            if (!Quantities.ERROR_SIGNAL.equals(result.path("quantity").asText())
                    || !result.path("effectiveRank").isNumber() || !result.path("nearZeroRows").isNumber()) {
                return false;
            }
            layers.computeIfAbsent(result.path("layer").asText("?"), l -> {
                SaturationScatter s = new SaturationScatter(
                        l + ": error signal's effective rank against its near-zero rows, every probe");
                groups.forEach(g -> s.cells.put(SweepSeries.label(g.path("cell")), new ArrayList<>()));
                return s;
            }).cells.get(cell).add(new Point(result.path("nearZeroRows").asDouble(),
                    result.path("effectiveRank").asDouble()));
            return true;
        });
        return SweepSeries.inOrder(order, layers);
    }
}
