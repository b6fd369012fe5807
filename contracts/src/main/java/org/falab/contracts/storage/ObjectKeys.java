package org.falab.contracts.storage;

/**
 * Where a run's objects live in the bucket (docs/architecture.md): the trainer writes these keys, the analysis
 * service and users read them.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** Everything of a run is under this prefix. */
    public static String run(String runId) {
        return "runs/" + runId + "/";
    }

    /** The checkpoint at the end of an epoch. */
    public static String checkpoint(String runId, int epoch) {
        return String.format("%scheckpoints/epoch-%04d.ckpt", run(runId), epoch);
    }

    /** Checkpoints are written here first and copied to their final key once complete. */
    public static String checkpointInProgress(String runId, int epoch) {
        return checkpoint(runId, epoch) + ".tmp";
    }

    /** One probe matrix of one step, a {@code .npy} file. */
    public static String snapshot(String runId, long step, String layer, String quantity) {
        return String.format("%ssnapshots/step-%08d/%s.%s.npy", run(runId), step, layer, quantity);
    }
}
