package org.falab.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/** Writes RunRequested records to falab.run-requests, keyed by run id. */
@ApplicationScoped
public class RunRequestPublisher {

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;

    public RunRequestPublisher(@Channel(Topics.CHANNEL_RUN_REQUESTS_OUT) MutinyEmitter<String> emitter,
            EventCodec codec) {
        this.emitter = emitter;
        this.codec = codec;
    }

    /**
     * Sends the record. The Uni completes once the broker acknowledged the write (acks=all) and fails when the
     * producer gave up (nack), so callers know whether the run really is on Kafka.
     */
    public Uni<Void> publish(RunRequested request) {
        return Uni.createFrom().deferred(
                () -> emitter.sendMessage(KafkaRecord.of(request.runId(), codec.write(request))));
    }
}
