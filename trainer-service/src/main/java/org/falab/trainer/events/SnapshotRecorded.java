package org.falab.trainer.events;

import java.time.Instant;
import java.util.List;

/** Probe matrices of one probe step, stored as .npy: docs/events/snapshot-recorded.schema.json. */
public record SnapshotRecorded(String runId, long step, int epoch, Instant time, String bucket,
        List<Signal> signals) {

    /** One stored matrix. */
    public record Signal(String layer, int layerIndex, String quantity, String key, int rows, int cols,
            String layout) {
    }
}
