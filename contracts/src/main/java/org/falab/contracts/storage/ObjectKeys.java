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

    /** A checkpoint between epoch ends (at a step interval, or before a trainer gave the run back). */
    public static String stepCheckpoint(String runId, long step) {
        return String.format("%scheckpoints/step-%012d.ckpt", run(runId), step);
    }

    /** Where every checkpoint of a run lives. */
    public static String checkpoints(String runId) {
        return run(runId) + "checkpoints/";
    }

    /**
     * The run's newest complete checkpoint: a small JSON object naming its key and step, written after the checkpoint
     * itself, so a checkpoint is either complete and named here or invisible to a resuming trainer.
     */
    public static String latestCheckpoint(String runId) {
        return checkpoints(runId) + "latest.json";
    }

    /** What became of one attempt at the run, written by its trainer when the attempt ends without ending the run. */
    public static String attempt(String runId, int attempt) {
        return String.format("%sattempts/attempt-%04d.json", run(runId), attempt);
    }

    /**
     * Written once the run's terminal event (SUCCEEDED, FAILED, CANCELLED) is on the broker: a run request delivered
     * again after that is acknowledged without training or publishing anything.
     */
    public static String ended(String runId) {
        return run(runId) + "ended.json";
    }

    /** Every attempt record of a run. */
    public static String attempts(String runId) {
        return run(runId) + "attempts/";
    }

    /** One probe matrix of one step, a {@code .npy} file. */
    public static String snapshot(String runId, long step, String layer, String quantity) {
        return String.format("%ssnapshots/step-%08d/%s.%s.npy", run(runId), step, layer, quantity);
    }
}
