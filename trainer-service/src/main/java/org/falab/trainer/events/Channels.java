package org.falab.trainer.events;

/**
 * Channel names of this service; application.properties binds each to its topic of
 * {@link org.falab.contracts.events.Topics}. Run requests and cancellations are read with Kafka's own consumers
 * ({@link org.falab.trainer.queue.RunQueue}, {@link org.falab.trainer.queue.Cancellations}), not channels.
 */
public final class Channels {

    /** Outgoing: {@code falab.run-events}. */
    public static final String RUN_EVENTS = "run-events";
    /** Outgoing: {@code falab.snapshots}. */
    public static final String SNAPSHOTS = "snapshots";
    /** Outgoing: {@code falab.run-requests.dlq}. */
    public static final String RUN_REQUESTS_DLQ = "run-requests-dlq";

    private Channels() {
    }
}
