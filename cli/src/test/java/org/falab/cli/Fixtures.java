package org.falab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;

/** Run views as the gateway's GET /api/v1/runs/{id} answers them, written out by hand. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * An FA run, two layers, four ranked quantities each at the last probe step 1407 (and one stale result at
     * step 1400), weight and feedback files in the snapshot (never ranked), alignment, a divergence warning.
     */
    static final String FA = """
            {"id": "run-0000000000fa", "state": "SUCCEEDED", "reason": null,
             "spec": {"dataset": "fashion-mnist", "method": "fa", "model": "mlp"},
             "submittedAt": "2026-12-01T10:00:00Z",
             "startedAt": "2026-12-01T10:00:01.500Z",
             "finishedAt": "2026-12-01T10:00:15.570Z",
             "progress": {"epoch": 3, "step": 1407, "totalSteps": 1407},
             "metrics": {"trainLoss": 0.51234, "testAccuracy": 0.81234, "trainingSeconds": 14.87, "engine": "PyTorch"},
             "snapshots": [
               {"step": 1400, "epoch": 3, "time": "2026-12-01T10:00:15Z", "bucket": "falab",
                "keys": ["runs/run-0000000000fa/snapshots/step-00001400/fc1.error-signal.npy"]},
               {"step": 1407, "epoch": 3, "time": "2026-12-01T10:00:15.2Z", "bucket": "falab",
                "keys": ["runs/run-0000000000fa/snapshots/step-00001407/fc1.error-signal.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc1.bp-error-signal.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc1.activity.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc1.update.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc1.weight.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc1.feedback.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.error-signal.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.bp-error-signal.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.activity.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.update.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.weight.npy",
                         "runs/run-0000000000fa/snapshots/step-00001407/fc2.feedback.npy"]}],
             "analysis": [
               {"step": 1400, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "error-signal",
                "effectiveRank": 99.9, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 9},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "error-signal",
                "effectiveRank": 40.04, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 83},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "bp-error-signal",
                "effectiveRank": 39.01, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 0},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "activity",
                "effectiveRank": 78.44, "singularValueCount": 256, "rows": 256, "cols": 784, "nearZeroRows": 0},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "update",
                "effectiveRank": 57.26, "singularValueCount": 256, "rows": 256, "cols": 784, "nearZeroRows": 0},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "error-signal",
                "effectiveRank": 30.1, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 2},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "bp-error-signal",
                "effectiveRank": 29.66, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 0},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "activity",
                "effectiveRank": 45.2, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 1},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "update",
                "effectiveRank": 18.33, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 0}],
             "alignment": [
               {"step": 1400, "epoch": 3, "layer": "fc1", "layerIndex": 0, "errorSignalAngleToBp": 11.0,
                "weightFeedbackAngle": 60.0, "feedbackToWeightNormRatio": 1.0},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "errorSignalAngleToBp": 71.26,
                "weightFeedbackAngle": 60.0, "feedbackToWeightNormRatio": 1.0},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "errorSignalAngleToBp": 80.54,
                "weightFeedbackAngle": 70.0, "feedbackToWeightNormRatio": 1.2}],
             "warnings": [
               {"time": "2026-12-01T10:00:09Z", "step": 600,
                "reason": "diverging at step 600: mean loss of the last 50 steps 2.31 is more than 3x its lowest 0.612"}],
             "sweepId": null, "cell": null}
            """;

    /** A BP run: error signal and activity per layer (no BP error signal, no angle to itself). */
    static final String BP = """
            {"id": "run-0000000000bp", "state": "SUCCEEDED",
             "spec": {"dataset": "fashion-mnist", "method": "bp", "model": "mlp"},
             "submittedAt": "2026-12-01T10:00:00Z",
             "startedAt": "2026-12-01T10:00:06Z",
             "finishedAt": "2026-12-01T10:00:20.07Z",
             "progress": {"epoch": 3, "step": 1407, "totalSteps": 1407},
             "metrics": {"trainLoss": 0.41, "testAccuracy": 0.8512, "trainingSeconds": 19.07, "engine": "PyTorch"},
             "snapshots": [
               {"step": 1407, "epoch": 3, "bucket": "falab",
                "keys": ["runs/run-0000000000bp/snapshots/step-00001407/fc1.error-signal.npy",
                         "runs/run-0000000000bp/snapshots/step-00001407/fc1.activity.npy",
                         "runs/run-0000000000bp/snapshots/step-00001407/fc1.weight.npy",
                         "runs/run-0000000000bp/snapshots/step-00001407/fc2.error-signal.npy",
                         "runs/run-0000000000bp/snapshots/step-00001407/fc2.activity.npy",
                         "runs/run-0000000000bp/snapshots/step-00001407/fc2.weight.npy"]}],
             "analysis": [
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "error-signal",
                "effectiveRank": 37.2, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 1},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "error-signal",
                "effectiveRank": 43.4, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 5},
               {"step": 1407, "epoch": 3, "layer": "fc1", "layerIndex": 0, "quantity": "activity",
                "effectiveRank": 78.4, "singularValueCount": 256, "rows": 256, "cols": 784, "nearZeroRows": 0},
               {"step": 1407, "epoch": 3, "layer": "fc2", "layerIndex": 1, "quantity": "activity",
                "effectiveRank": 64.9, "singularValueCount": 256, "rows": 256, "cols": 256, "nearZeroRows": 0}],
             "alignment": [],
             "warnings": [],
             "sweepId": null, "cell": null}
            """;

    /** Any JSON value (an array: a run list). */
    static JsonNode tree(String text) {
        return ContractJson.readTree(text);
    }

    static ObjectNode json(String text) {
        JsonNode node = ContractJson.readTree(text);
        return (ObjectNode) node;
    }
}
