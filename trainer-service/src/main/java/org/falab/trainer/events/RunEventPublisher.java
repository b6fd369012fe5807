package org.falab.trainer.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;

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

    public RunEventPublisher(@Channel(Channels.RUN_EVENTS) MutinyEmitter<String> runEvents,
            @Channel(Channels.SNAPSHOTS) MutinyEmitter<String> snapshots) {
        this.runEvents = runEvents;
        this.snapshots = snapshots;
    }

    public void publish(RunEvent event) {
        runEvents.sendMessageAndAwait(KafkaRecord.of(event.runId(), ContractJson.write(event)));
    }

    public void publish(SnapshotRecorded snapshot) {
        snapshots.sendMessageAndAwait(KafkaRecord.of(snapshot.runId(), ContractJson.write(snapshot)));
    }
}
