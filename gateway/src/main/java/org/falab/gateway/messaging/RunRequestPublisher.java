package org.falab.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.json.ContractJson;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/** Writes RunRequested records to falab.run-requests, keyed by run id. */
@ApplicationScoped
public class RunRequestPublisher {

    private final MutinyEmitter<String> emitter;

    public RunRequestPublisher(@Channel(Channels.RUN_REQUESTS_OUT) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /**
     * Sends the record. The Uni completes once the broker acknowledged the write (acks=all) and fails when the
     * producer gave up (nack), so callers know whether the run really is on Kafka.
     */
    public Uni<Void> publish(RunRequested request) {
        return Uni.createFrom().deferred(
                () -> emitter.sendMessage(KafkaRecord.of(request.runId(), ContractJson.write(request))));
    }
}
