package org.falab.contracts.events;

/** The {@code type} of a {@link RunEvent}. */
public enum RunEventType {
    /** A trainer took the run; carries the engine and device and the run's total steps. */
    STARTED,
    /** Every few steps: epoch, step, totalSteps, trainLoss. */
    PROGRESS,
    /** After each epoch's evaluation: trainLoss and testAccuracy. */
    EPOCH_COMPLETED,
    /** A checkpoint is complete in the object store at checkpointKey. */
    CHECKPOINT_WRITTEN,
    /** The run ended well: final metrics and trainingSeconds. Terminal. */
    SUCCEEDED,
    /** The run cannot go on; reason says why. Terminal. */
    FAILED,
    /** Something a researcher must see that does not stop the run (e.g. a diverging loss); reason says what. */
    WARNING,
    /** The attempt is alive (every few seconds while it trains); epoch, step and totalSteps. */
    HEARTBEAT,
    /** The run was stopped or never started because it was cancelled ({@link RunCancellation}). Terminal. */
    CANCELLED;

    /** SUCCEEDED, FAILED and CANCELLED end a run; no event of the run's attempts after them changes it. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
