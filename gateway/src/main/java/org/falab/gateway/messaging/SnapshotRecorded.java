package org.falab.gateway.messaging;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Topic falab.snapshots (docs/events/snapshot-recorded.schema.json): the probe matrices of one probe step
 * are in the object store.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotRecorded(String runId, long step, int epoch, Instant time, String bucket, List<Signal> signals) {

    /** One probe matrix (a .npy object). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Signal(String layer, int layerIndex, String quantity, String key, int rows, int cols, String layout) {
    }
}
