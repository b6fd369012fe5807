package org.falab.analysis.events;

import java.time.Instant;
import java.util.List;

/**
 * Topic {@code falab.snapshots}, key = runId: the probe matrices of one probe step are in the object store.
 * Contract: {@code docs/events/snapshot-recorded.schema.json}. Unknown fields are ignored; missing or out-of-range
 * required fields make {@link EventCodec#readSnapshot(String)} throw.
 */
public record SnapshotRecorded(String runId, long step, long epoch, Instant time, String bucket, List<Signal> signals) {

    public SnapshotRecorded {
        Events.requireText(runId, "runId");
        Events.requireNonNegative(step, "step");
        Events.requireNonNegative(epoch, "epoch");
        Events.require(time != null, "time is required");
        Events.requireText(bucket, "bucket");
        Events.require(signals != null && !signals.isEmpty(), "signals must hold at least one signal");
        Events.require(signals.stream().allMatch(s -> s != null), "signals must not hold null");
        Events.require(signals.stream().map(s -> s.layerIndex() + "/" + s.quantity()).distinct().count()
                == signals.size(), "signals must hold each (layerIndex, quantity) at most once");
        signals = List.copyOf(signals);
    }

    /** One probe matrix: a {@code .npy} file at {@code key} in the event's bucket. */
    public record Signal(String layer, int layerIndex, String quantity, String key, int rows, int cols, String layout) {

        public Signal {
            Events.require(layer != null, "signals[].layer is required");
            Events.requireNonNegative(layerIndex, "signals[].layerIndex");
            Events.require(Events.QUANTITIES.contains(quantity),
                    "signals[].quantity must be one of " + Events.QUANTITIES + ", got " + quantity);
            Events.requireText(key, "signals[].key");
            Events.require(rows >= 1, "signals[].rows must be >= 1, got " + rows);
            Events.require(cols >= 1, "signals[].cols must be >= 1, got " + cols);
            Events.require(layout != null, "signals[].layout is required");
        }
    }
}
