package org.falab.learning.train;

/** A run that could not finish; the message is the reason, worded for people ("train loss became NaN at step 73"). */
public final class TrainingFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure with a reason only. */
    public TrainingFailedException(String reason) {
        super(reason);
    }

    /** A failure with a reason and the exception behind it. */
    public TrainingFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The reason, the same as {@link #getMessage()}. */
    public String reason() {
        return getMessage();
    }
}
