package org.falab.gateway.web;

import java.time.Instant;
import java.util.Map;

import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.Trainer;

/**
 * Plays a trainer and the analysis service on the real broker: progress, effective ranks and alignment angles of a
 * run as their services publish them. The numbers follow the shapes of the science (loss down, accuracy up, FA's
 * error-signal rank falling) so that the screenshots look like runs.
 */
final class Training {

    static final String[] LAYERS = {"fc1", "fc2", "fc3"};
    static final String[] QUANTITIES = {"error-signal", "bp-error-signal", "activity", "update"};

    private Training() {
    }

    static void started(String runId, long totalSteps) {
        Trainer.says(runId, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", totalSteps,
                "engine", "PyTorch 2.7.1", "device", "cpu"));
    }

    /** A PROGRESS event at {@code step} of {@code totalSteps} with a loss falling with the step. */
    static void progress(String runId, long step, long totalSteps, double scale) {
        Trainer.says(runId, Map.of("type", "PROGRESS", "epoch", (int) (step * 3 / totalSteps), "step", step,
                "totalSteps", totalSteps, "trainLoss", scale * (0.3 + 2.0 * Math.exp(-step / 15.0))));
    }

    static void epoch(String runId, long step, long totalSteps, double accuracy) {
        Trainer.says(runId, Map.of("type", "EPOCH_COMPLETED", "epoch", (int) (step * 3 / totalSteps), "step", step,
                "totalSteps", totalSteps, "testAccuracy", accuracy));
    }

    /** One probe: every layer's four effective ranks and its two angles. */
    static void probe(String runId, long step, double rankScale) {
        String now = Instant.now().toString();
        for (int layer = 0; layer < LAYERS.length; layer++) {
            for (int q = 0; q < QUANTITIES.length; q++) {
                double rank = rankScale * (40 - 6 * layer) * (q == 0 ? Math.exp(-step / 40.0) + 0.2 : 1.0 - 0.1 * q);
                KafkaTestClients.produce(Topics.ANALYSIS_RESULTS, runId, ContractJson.write(Map.ofEntries(
                        Map.entry("runId", runId), Map.entry("step", step), Map.entry("epoch", 0),
                        Map.entry("layer", LAYERS[layer]), Map.entry("layerIndex", layer),
                        Map.entry("quantity", QUANTITIES[q]), Map.entry("effectiveRank", rank),
                        Map.entry("singularValueCount", 64), Map.entry("rows", 256), Map.entry("cols", 64),
                        Map.entry("nearZeroRows", 0), Map.entry("time", now))));
            }
            KafkaTestClients.produce(Topics.ALIGNMENT_RESULTS, runId, ContractJson.write(Map.of(
                    "runId", runId, "step", step, "epoch", 0, "layer", LAYERS[layer], "layerIndex", layer,
                    "errorSignalAngleToBp", 80.0 - 30 * (1 - Math.exp(-step / 30.0)),
                    "weightFeedbackAngle", 90.0 - 20 * (1 - Math.exp(-step / 50.0)),
                    "feedbackToWeightNormRatio", 1.0, "time", now)));
        }
    }

    static void succeeded(String runId, long totalSteps, double accuracy) {
        Trainer.says(runId, Map.of("type", "SUCCEEDED", "epoch", 3, "step", totalSteps, "totalSteps", totalSteps,
                "testAccuracy", accuracy));
    }
}
