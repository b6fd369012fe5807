package org.falab.contracts.storage;

import java.util.Optional;
import java.util.regex.Pattern;

import org.falab.contracts.events.RunRequested;

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
        return String.format("%sstep-%08d/%s.%s.npy", snapshots(runId), step, layer, quantity);
    }

    /** Where every probe matrix of a run lives. */
    public static String snapshots(String runId) {
        return run(runId) + "snapshots/";
    }

    /** The characters of the keys the trainer writes under a run: no '%', '\\', spaces or other escapes. */
    private static final Pattern KEY_CHARS = Pattern.compile("^[A-Za-z0-9_./-]+$");

    /**
     * Why {@code key} is not one of the run's own checkpoints or snapshots (what users may download), or empty when
     * it is: it must lie under {@link #checkpoints(String)} or {@link #snapshots(String)} of this run, by plain path
     * segments (no {@code ..}, {@code .}, empty segment, or escape), and name an object, not the folder.
     */
    public static Optional<String> downloadKeyProblem(String runId, String key) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return Optional.of("runId is not a run id (" + RunRequested.RUN_ID_PATTERN + ")");
        }
        String where = "key must be an object under " + checkpoints(runId) + " or " + snapshots(runId);
        if (key == null || key.isEmpty() || !KEY_CHARS.matcher(key).matches()) {
            return Optional.of(where + " (letters, digits, _ . - / only)");
        }
        if (!key.startsWith(checkpoints(runId)) && !key.startsWith(snapshots(runId))) {
            return Optional.of(where);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of(where + " (no empty, \".\" or \"..\" segment)");
            }
        }
        return Optional.empty();
    }

    /** A run id as the gateway makes them: one path segment, no dots, no slashes. */
    private static final Pattern RUN_ID = Pattern.compile(RunRequested.RUN_ID_PATTERN);
    /** A layer name as the learning core makes them ({@code fc1}, {@code layer2.0.conv1}): one segment, no "..". */
    private static final Pattern LAYER = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");

    /**
     * Why {@code key} is not a key the trainer writes for this probe matrix, or empty when it is: the matrix's key at
     * this step or at an earlier one (a matrix that did not change since an earlier probe, such as a fixed feedback
     * B, is stored once and named again by later snapshots). A reader of snapshot events (the analysis service)
     * reads only such keys: the event comes from the broker, and a key that points elsewhere (another run, another
     * layer or quantity, a later step, a checkpoint, {@code ..}, an absolute or URL-encoded path) must not make it
     * read anything but the run's own snapshots. Run id and layer must each be one plain path segment, so the key
     * cannot climb out of {@link #snapshots(String)} by its parts either.
     */
    public static Optional<String> snapshotKeyProblem(String runId, long step, String layer, String quantity,
                                                      String key) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return Optional.of("runId is not a run id (" + RunRequested.RUN_ID_PATTERN + ")");
        }
        if (layer == null || !LAYER.matcher(layer).matches() || layer.contains("..")) {
            return Optional.of("layer is not a plain layer name (" + LAYER.pattern() + ", no \"..\")");
        }
        if (quantity == null || !LAYER.matcher(quantity).matches() || quantity.contains("..")) {
            return Optional.of("quantity is not a plain quantity name");
        }
        String expected = snapshot(runId, step, layer, quantity);
        long stored = snapshotStep(key, runId);
        if (stored < 0 || stored > step || !snapshot(runId, stored, layer, quantity).equals(key)) {
            return Optional.of("key is not this run's snapshot key " + expected + " or that of an earlier step");
        }
        return Optional.empty();
    }

    /** The step of a key of the form {@code runs/ID/snapshots/step-DIGITS/...}, or -1. */
    private static long snapshotStep(String key, String runId) {
        String prefix = snapshots(runId) + "step-";
        if (key == null || !key.startsWith(prefix)) {
            return -1;
        }
        int end = key.indexOf('/', prefix.length());
        String digits = end < 0 ? "" : key.substring(prefix.length(), end);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }
}
