package org.falab.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rows of {@code falab results SWEEP_ID --format csv}: one per group of cells equal but for the seed (the sweep
 * view's {@code groups}), with a column per cell field, the run counts, test accuracy's mean, standard deviation,
 * min and max over the group's SUCCEEDED runs, and per layer the error-signal effective rank's mean, standard
 * deviation and count (at each run's last analysed probe step).
 */
final class SweepResultsCsv {

    private SweepResultsCsv() {
    }

    static Rows of(JsonNode sweep) {
        Set<String> fields = new LinkedHashSet<>();
        Set<String> layers = new LinkedHashSet<>();
        for (JsonNode group : sweep.path("groups")) {
            group.path("cell").fieldNames().forEachRemaining(fields::add);
            group.path("effectiveRank").fieldNames().forEachRemaining(layers::add);
        }
        List<String> header = new ArrayList<>(List.of("sweep_id"));
        header.addAll(fields);
        header.addAll(List.of("runs", "finished", "succeeded", "test_accuracy_mean", "test_accuracy_std",
                "test_accuracy_min", "test_accuracy_max"));
        for (String layer : layers) {
            String prefix = layer + "_error_signal_effective_rank_";
            header.addAll(List.of(prefix + "mean", prefix + "std", prefix + "n"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode group : sweep.path("groups")) {
            List<String> row = new ArrayList<>(List.of(sweep.path("id").asText()));
            for (String field : fields) {
                row.add(RunResultsCsv.text(group.path("cell").get(field)));
            }
            JsonNode accuracy = group.path("testAccuracy");
            row.addAll(List.of(RunResultsCsv.text(group.get("runs")), RunResultsCsv.text(group.get("finished")),
                    RunResultsCsv.text(accuracy.get("n")), RunResultsCsv.text(accuracy.get("mean")),
                    RunResultsCsv.text(accuracy.get("std")), RunResultsCsv.text(accuracy.get("min")),
                    RunResultsCsv.text(accuracy.get("max"))));
            for (String layer : layers) {
                JsonNode rank = group.path("effectiveRank").get(layer);
                row.add(rank == null ? "" : RunResultsCsv.text(rank.get("mean")));
                row.add(rank == null ? "" : RunResultsCsv.text(rank.get("std")));
                row.add(rank == null ? "" : RunResultsCsv.text(rank.get("n")));
            }
            rows.add(row);
        }
        return new Rows(header, rows);
    }
}
