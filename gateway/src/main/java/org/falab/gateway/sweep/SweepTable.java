package org.falab.gateway.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's groups as one flat table (one row per group of cells equal but for seed, one value per column), for
 * the CSV and JSON exports: the cell's fields, then runs and finished, then the test accuracy's statistics, then per
 * layer the error-signal effective rank's mean, spread and count. A field or layer a group lacks is null.
 */
public record SweepTable(List<String> columns, List<Map<String, Object>> rows) {

    public static SweepTable of(SweepView sweep) {
        Set<String> cellFields = new LinkedHashSet<>();
        Set<String> layers = new LinkedHashSet<>();
        for (SweepView.Group group : sweep.groups()) {
            cellFields.addAll(group.cell().keySet());
            layers.addAll(group.effectiveRank().keySet());
        }
        List<String> columns = new ArrayList<>(cellFields);
        columns.addAll(List.of("runs", "finished", "test_accuracy_mean", "test_accuracy_std", "test_accuracy_min",
                "test_accuracy_max", "test_accuracy_n"));
        for (String layer : layers) {
            columns.addAll(List.of(rankColumn(layer, "mean"), rankColumn(layer, "std"), rankColumn(layer, "n")));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SweepView.Group group : sweep.groups()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String field : cellFields) {
                row.put(field, group.cell().get(field));
            }
            row.put("runs", group.runs());
            row.put("finished", group.finished());
            SweepView.Stats accuracy = group.testAccuracy();
            row.put("test_accuracy_mean", accuracy == null ? null : accuracy.mean());
            row.put("test_accuracy_std", accuracy == null ? null : accuracy.std());
            row.put("test_accuracy_min", accuracy == null ? null : accuracy.min());
            row.put("test_accuracy_max", accuracy == null ? null : accuracy.max());
            row.put("test_accuracy_n", accuracy == null ? 0 : accuracy.n());
            for (String layer : layers) {
                SweepView.RankStats rank = group.effectiveRank().get(layer);
                row.put(rankColumn(layer, "mean"), rank == null ? null : rank.mean());
                row.put(rankColumn(layer, "std"), rank == null ? null : rank.std());
                row.put(rankColumn(layer, "n"), rank == null ? 0 : rank.n());
            }
            rows.add(row);
        }
        return new SweepTable(List.copyOf(columns), List.copyOf(rows));
    }

    private static String rankColumn(String layer, String statistic) {
        return "error_signal_rank_" + layer + "_" + statistic;
    }
}
