package org.falab.trainer.events;

/** Channel names of this service; topics are set in application.properties (see docs/architecture.md). */
public final class Topics {

    public static final String RUN_REQUESTS = "run-requests";
    public static final String RUN_EVENTS = "run-events";
    public static final String SNAPSHOTS = "snapshots";

    private Topics() {
    }
}
