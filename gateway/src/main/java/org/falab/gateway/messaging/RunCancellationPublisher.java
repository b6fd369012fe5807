package org.falab.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.json.ContractJson;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Writes RunCancellation records to falab.run-cancellations, keyed by run id: the topic is compacted, so the newest
 * cancellation of a run is the one kept, and trainers read it whole.
 */
@ApplicationScoped
public class RunCancellationPublisher {

    private final MutinyEmitter<String> emitter;

    public RunCancellationPublisher(@Channel(Channels.RUN_CANCELLATIONS_OUT) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Sends the record; the Uni completes once the broker acknowledged it (acks=all) and fails on a nack. */
    public Uni<Void> publish(RunCancellation cancellation) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(
                KafkaRecord.of(cancellation.runId(), ContractJson.write(cancellation))));
    }
}
