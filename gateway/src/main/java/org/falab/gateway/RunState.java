package org.falab.gateway;

/** Where a run is in its life, as the gateway sees it from the events on Kafka. */
public enum RunState {
    /** Accepted by a gateway, no trainer has started it yet. */
    QUEUED,
    /** A trainer published STARTED. */
    RUNNING,
    /** A trainer published SUCCEEDED. Terminal. */
    SUCCEEDED,
    /** A trainer published FAILED, with a reason. Terminal. */
    FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
