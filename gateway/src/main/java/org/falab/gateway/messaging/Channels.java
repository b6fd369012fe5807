package org.falab.gateway.messaging;

/**
 * The gateway's channel names; application.properties binds each to topics of
 * {@link org.falab.contracts.events.Topics}.
 */
public final class Channels {

    /** Outgoing: {@code falab.run-requests}. */
    public static final String RUN_REQUESTS_OUT = "run-requests-out";
    /** Incoming: every topic of {@link org.falab.contracts.events.Topics#REPLAYED}, from the beginning. */
    public static final String REPLAY = "replay";

    private Channels() {
    }
}
