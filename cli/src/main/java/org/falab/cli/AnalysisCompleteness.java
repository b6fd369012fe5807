package org.falab.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.events.Quantities;

/**
 * What the analysis service will publish for a run's last probe step, and what of it the run view still lacks.
 *
 * <p>The last probe step is the run's last training step ({@code progress.totalSteps}; the trainer always probes
 * there) once the run SUCCEEDED, else the step of its latest snapshot. Expected are exactly the ranks the analysis
 * computes: each {@link Quantities#RANKED ranked quantity} among that snapshot's keys ({@code
 * .../<layer>.<quantity>.npy}; weight and feedback files are not ranked), and, for each layer whose snapshot has
 * both the error signal and the BP error signal, the alignment (angle to BP) at that step.
 */
public final class AnalysisCompleteness {

    private AnalysisCompleteness() {
    }

    /** The run's last probe step, or -1 when it has none yet. */
    public static long lastProbeStep(JsonNode run) {
        Long total = RunViews.totalSteps(run);
        if (RunViews.SUCCEEDED.equals(RunViews.state(run)) && total != null && total > 0) {
            return total;
        }
        long last = -1;
        for (JsonNode snapshot : run.path("snapshots")) {
            last = Math.max(last, snapshot.path("step").asLong(-1));
        }
        return last;
    }

    /** {@code layer.quantity} of each ranked matrix of the snapshot at {@code step}, in key order; empty if none. */
    public static Set<String> expectedRanks(JsonNode run, long step) {
        Set<String> expected = new LinkedHashSet<>();
        JsonNode snapshot = snapshotAt(run, step);
        if (snapshot == null) {
            return expected;
        }
        for (JsonNode key : snapshot.path("keys")) {
            String[] layerAndQuantity = layerAndQuantity(key.asText());
            if (layerAndQuantity != null && Quantities.RANKED.contains(layerAndQuantity[1])) {
                expected.add(layerAndQuantity[0] + "." + layerAndQuantity[1]);
            }
        }
        return expected;
    }

    /**
     * What the view lacks at the run's last probe step, each named for the user: {@code "fc1.update"}, {@code "fc2
     * angle to BP"}, or {@code "snapshot of step 1407"} while the snapshot itself has not been seen. Empty when
     * everything the analysis computes for that step is in the view.
     */
    public static List<String> missing(JsonNode run) {
        long step = lastProbeStep(run);
        List<String> missing = new ArrayList<>();
        if (step < 0) {
            missing.add("any snapshot");
            return missing;
        }
        JsonNode snapshot = snapshotAt(run, step);
        if (snapshot == null) {
            missing.add("snapshot of step " + step);
            return missing;
        }
        Set<String> present = new LinkedHashSet<>();
        for (JsonNode result : run.path("analysis")) {
            if (result.path("step").asLong(-1) == step) {
                present.add(result.path("layer").asText() + "." + result.path("quantity").asText());
            }
        }
        Set<String> expected = expectedRanks(run, step);
        for (String rank : expected) {
            if (!present.contains(rank)) {
                missing.add(rank);
            }
        }
        Set<String> aligned = new LinkedHashSet<>();
        for (JsonNode alignment : run.path("alignment")) {
            if (alignment.path("step").asLong(-1) == step && alignment.path("errorSignalAngleToBp").isNumber()) {
                aligned.add(alignment.path("layer").asText());
            }
        }
        for (String rank : expected) {
            if (rank.endsWith("." + Quantities.BP_ERROR_SIGNAL)) {
                String layer = rank.substring(0, rank.length() - Quantities.BP_ERROR_SIGNAL.length() - 1);
                if (expected.contains(layer + "." + Quantities.ERROR_SIGNAL) && !aligned.contains(layer)) {
                    missing.add(layer + " angle to BP");
                }
            }
        }
        return missing;
    }

    /** Layer and quantity of a snapshot key ending in {@code <layer>.<quantity>.npy}, or null for another key. */
    static String[] layerAndQuantity(String key) {
        if (!key.endsWith(".npy")) {
            return null;
        }
        String name = key.substring(key.lastIndexOf('/') + 1, key.length() - ".npy".length());
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return null;
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    private static JsonNode snapshotAt(JsonNode run, long step) {
        for (JsonNode snapshot : run.path("snapshots")) {
            if (snapshot.path("step").asLong(-1) == step) {
                return snapshot;
            }
        }
        return null;
    }
}
