package org.falab.gateway.messaging;

/**
 * The gateway's SmallRye channel names; application.properties binds each to a topic of
 * {@link org.falab.contracts.events.Topics}. The replay is not a channel (see {@link ReplayConsumer}), nor is the
 * sweeps' transactional producer (see {@link SweepRequestPublisher}).
 */
public final class Channels {

    /** Outgoing: {@code falab.run-requests}, one run at a time. */
    public static final String RUN_REQUESTS_OUT = "run-requests-out";
    /** Outgoing: {@code falab.run-cancellations}. */
    public static final String RUN_CANCELLATIONS_OUT = "run-cancellations-out";

    private Channels() {
    }
}
