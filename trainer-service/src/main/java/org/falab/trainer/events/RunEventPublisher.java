package org.falab.trainer.events;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes run events, snapshot events and dead letters keyed by run id, waiting for the broker's acknowledgement so
 * that the order of a run's events is the order of its training. While the broker is away a send waits (the idempotent
 * producer retries for its delivery timeout), so a short outage delays events but loses none.
 */
@ApplicationScoped
public class RunEventPublisher {

    private final MutinyEmitter<String> runEvents;
    private final MutinyEmitter<String> snapshots;
    private final MutinyEmitter<String> deadLetters;

    public RunEventPublisher(@Channel(Channels.RUN_EVENTS) MutinyEmitter<String> runEvents,
            @Channel(Channels.SNAPSHOTS) MutinyEmitter<String> snapshots,
            @Channel(Channels.RUN_REQUESTS_DLQ) MutinyEmitter<String> deadLetters) {
        this.runEvents = runEvents;
        this.snapshots = snapshots;
        this.deadLetters = deadLetters;
    }

    public void publish(RunEvent event) {
        runEvents.sendMessageAndAwait(KafkaRecord.of(event.runId(), ContractJson.write(event)));
    }

    /** For heartbeats: sent in order with the run's other events, but the caller does not wait for the broker. */
    public void publishWithoutWaiting(RunEvent event) {
        runEvents.sendMessageAndForget(KafkaRecord.of(event.runId(), ContractJson.write(event)));
    }

    public void publish(SnapshotRecorded snapshot) {
        snapshots.sendMessageAndAwait(KafkaRecord.of(snapshot.runId(), ContractJson.write(snapshot)));
    }

    /**
     * Moves a run request to {@code falab.run-requests.dlq} as it was, with the dead-letter headers SmallRye's
     * dead-letter strategy writes elsewhere in falab ({@code dead-letter-reason}, {@code -topic}, {@code -partition},
     * {@code -offset}), so an operator re-drives every dead-letter topic the same way.
     */
    public void deadLetter(String key, String value, String reason, String topic, int partition, long offset) {
        deadLetters.sendMessageAndAwait(KafkaRecord.of(key, value)
                .withHeader("dead-letter-reason", bytes(reason))
                .withHeader("dead-letter-topic", bytes(topic))
                .withHeader("dead-letter-partition", bytes(Integer.toString(partition)))
                .withHeader("dead-letter-offset", bytes(Long.toString(offset))));
    }

    private static byte[] bytes(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }
}
