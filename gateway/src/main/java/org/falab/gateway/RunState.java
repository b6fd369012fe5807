package org.falab.gateway;

/**
 * Where a run is in its life, as the gateway sees it from the records on Kafka (run requests, cancellations and the
 * trainers' events) and the clock (STALLED).
 */
public enum RunState {
    /** Accepted by a gateway, no trainer has started it yet. */
    QUEUED,
    /** A trainer works on it: an event of the run's current attempt arrived within {@code falab.view.stalled-after}. */
    RUNNING,
    /**
     * RUNNING or CANCELLING, but no event of the current attempt for longer than {@code falab.view.stalled-after}:
     * its trainer may have died. A newer event (a heartbeat, or a new attempt's STARTED) makes it RUNNING again.
     */
    STALLED,
    /** Someone cancelled it while a trainer works on it; the trainer stops within a step and sends CANCELLED. */
    CANCELLING,
    /** A trainer published SUCCEEDED. Terminal. */
    SUCCEEDED,
    /** A trainer published FAILED, with a reason. Terminal. */
    FAILED,
    /**
     * A trainer published CANCELLED, or the run was cancelled before any trainer started it (trainers read the
     * cancellations and never start such a run). Terminal.
     */
    CANCELLED;

    /** SUCCEEDED, FAILED and CANCELLED: nothing changes such a run any more, and it cannot be cancelled. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
