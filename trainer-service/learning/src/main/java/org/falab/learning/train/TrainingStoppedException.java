package org.falab.learning.train;

/**
 * A run that stopped between two steps because its {@link StopSignal} asked; not a failure. The listener has seen
 * every event up to {@link #step()}, and if {@link #checkpointed()} its last {@code onCheckpoint} holds the state
 * after that step, from which {@link TrainingOptions#resumingFrom} carries on.
 */
public final class TrainingStoppedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int epoch;
    private final long step;
    private final boolean checkpointed;

    /**
     * @param reason the request's reason
     * @param epoch 1-based epoch of the last step taken
     * @param step steps taken (the last one complete, its callbacks included)
     * @param checkpointed whether the listener received a checkpoint of step {@code step}
     */
    public TrainingStoppedException(String reason, int epoch, long step, boolean checkpointed) {
        super("stopped after step " + step + " (epoch " + epoch + "): " + reason
                + (checkpointed ? "; checkpointed at that step" : "; no checkpoint of that step"));
        this.reason = reason;
        this.epoch = epoch;
        this.step = step;
        this.checkpointed = checkpointed;
    }

    /** The request's reason. */
    public String reason() {
        return reason;
    }

    /** 1-based epoch of the last step taken. */
    public int epoch() {
        return epoch;
    }

    /** Steps taken. */
    public long step() {
        return step;
    }

    /** Whether the listener received a checkpoint of {@link #step()} (so a resume loses no step). */
    public boolean checkpointed() {
        return checkpointed;
    }
}
