package org.falab.analysis.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.falab.analysis.service.AnalysisService;

import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code falab.snapshots} (consumer group {@code falab-analysis}). The value arrives as a String and is
 * parsed by the service, so a record that is not JSON reaches this method like any other; when the service throws,
 * the record is nacked, SmallRye sends it to {@code falab.snapshots.dlq} and the consumer goes on with the next
 * record. Offsets are committed after processing (throttled commit strategy). Blocking: the service waits on the
 * object store and on the broker's acknowledgements, one record at a time, in order.
 */
@ApplicationScoped
public class SnapshotListener {

    /** Incoming channel, topic {@code falab.snapshots}. */
    public static final String SNAPSHOTS_CHANNEL = "snapshots";

    private final AnalysisService service;

    public SnapshotListener(AnalysisService service) {
        this.service = service;
    }

    @Incoming(SNAPSHOTS_CHANNEL)
    @Blocking
    public void onSnapshot(String payload) {
        service.handle(payload);
    }
}
