package org.falab.trainer.events;

/**
 * Channel names of this service; application.properties binds each to its topic of
 * {@link org.falab.contracts.events.Topics}.
 */
public final class Channels {

    /** Incoming: {@code falab.run-requests}. */
    public static final String RUN_REQUESTS = "run-requests";
    /** Outgoing: {@code falab.run-events}. */
    public static final String RUN_EVENTS = "run-events";
    /** Outgoing: {@code falab.snapshots}. */
    public static final String SNAPSHOTS = "snapshots";

    private Channels() {
    }
}
