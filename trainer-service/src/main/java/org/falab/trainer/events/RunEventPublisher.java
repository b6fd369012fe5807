package org.falab.trainer.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Publishes run events and snapshot events keyed by run id, waiting for the broker's acknowledgement so that
 * the order of a run's events is the order of its training (and a lost broker fails the run loudly).
 */
@ApplicationScoped
public class RunEventPublisher {

    private final MutinyEmitter<String> runEvents;
    private final MutinyEmitter<String> snapshots;
    private final ObjectMapper json;

    public RunEventPublisher(@Channel(Topics.RUN_EVENTS) MutinyEmitter<String> runEvents,
            @Channel(Topics.SNAPSHOTS) MutinyEmitter<String> snapshots, ObjectMapper json) {
        this.runEvents = runEvents;
        this.snapshots = snapshots;
        this.json = json;
    }

    public void publish(RunEvent event) {
        runEvents.sendMessageAndAwait(KafkaRecord.of(event.runId(), toJson(event)));
    }

    public void publish(SnapshotRecorded snapshot) {
        snapshots.sendMessageAndAwait(KafkaRecord.of(snapshot.runId(), toJson(snapshot)));
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        }
    }
}
