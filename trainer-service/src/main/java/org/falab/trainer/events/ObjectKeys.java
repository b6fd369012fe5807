package org.falab.trainer.events;

/** Object-store keys of a run (docs/architecture.md). */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String checkpoint(String runId, int epoch) {
        return String.format("runs/%s/checkpoints/epoch-%04d.ckpt", runId, epoch);
    }

    /** Checkpoints are written here first and copied to their final key once complete. */
    public static String checkpointInProgress(String runId, int epoch) {
        return checkpoint(runId, epoch) + ".tmp";
    }

    public static String snapshot(String runId, long step, String layer, String quantity) {
        return String.format("runs/%s/snapshots/step-%08d/%s.%s.npy", runId, step, layer, quantity);
    }
}
