package org.falab.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.Topics;
import org.falab.localstack.LocalStackResource;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A run queued behind the only, busy trainer for far longer than the broker allows deliveries of a record
 * ({@code group.share.delivery.count.limit}, 10 on the test broker) times the lock's duration: the busy trainer renews
 * its own run without acquiring the queued one, so the queued run is still there when the trainer is free, and it is
 * delivered once (delivery count 1), trained once as its first attempt, and SUCCEEDED; meanwhile the broker counts one
 * acquired record (the busy run's) and no lapsed lock. A trainer whose polls acquired
 * the queued record and let it go (or let its lock lapse) would use up its deliveries: the broker archives the record
 * and the run never starts.
 */
@QuarkusTest
@TestProfile(RunQueuedBehindABusyTrainerIT.ShortLocks.class)
@WithTestResource(LocalStackResource.class)
class RunQueuedBehindABusyTrainerIT {

    private static final Duration LOCK = Duration.ofSeconds(3);
    /** Thirteen lock durations (and forty renewals) of waiting: more than the broker's ten deliveries of a record. */
    private static final Duration QUEUED_FOR = LOCK.multipliedBy(13);

    /** Short locks, so that waiting out many lock durations is quick. */
    public static class ShortLocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("falab.queue.lock-duration", LOCK.toSeconds() + "s");
        }
    }

    @BeforeAll
    static void datasetInBucket() throws Exception {
        RunTrainingIT.datasetInBucket();
    }

    @Test
    void aRunQueuedForManyLockDurationsBehindABusyTrainerIsDeliveredOnceAndTrainedAsItsFirstAttempt()
            throws Exception {
        String busy = "run-busy-for-long";
        // far more steps than the wait trains; no probes (nothing to write but progress); cancelled after the wait
        TopicClient.local().send(Topics.RUN_REQUESTS, busy, RunControlIT.withSpec(RunTrainingIT.request(busy, "fa"),
                Map.of("epochs", 1000, "batchSize", 1, "probeEvery", 1_000_000)));
        RunControlIT.eventsUntil(busy, "STARTED");
        try (QueueLog log = QueueLog.capture()) {
            String queued = "run-queued-behind-busy";
            TopicClient.local().send(Topics.RUN_REQUESTS, queued, RunTrainingIT.request(queued, "bp"));
            // the broker's view while the run waits: only the busy run's record is acquired, and no lock lapses
            BrokerShareMetrics broker = new BrokerShareMetrics("falab-trainer", Topics.RUN_REQUESTS, 0);
            long lapsedBefore = broker.lapsedLocks();
            long mostAcquired = 0;
            for (long end = System.nanoTime() + QUEUED_FOR.toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
                mostAcquired = Math.max(mostAcquired, broker.acquired());
            }
            long lapsedWhileQueued = broker.lapsedLocks() - lapsedBefore;

            List<ConsumerRecord<String, String>> sofar = eventsUpTo(busy, Instant.now());
            assertThat(RunControlIT.types(RunControlIT.events(sofar, busy))).as("%s still trains after %s", busy,
                    QUEUED_FOR).contains("STARTED").doesNotContain("SUCCEEDED", "FAILED", "CANCELLED");
            assertThat(RunControlIT.events(sofar, queued)).as("%s waits while the only trainer is busy", queued)
                    .isEmpty();
            assertThat(mostAcquired).as("records acquired at once while %s waited (the broker's count)", queued)
                    .isOne();
            assertThat(lapsedWhileQueued).as("acquisition locks that lapsed while %s waited", queued).isZero();
            RunControlIT.cancel(busy);
            RunControlIT.eventsUntil(busy, "CANCELLED");

            List<JsonNode> events = RunControlIT.eventsUntil(queued, "SUCCEEDED");
            assertThat(RunControlIT.types(events))
                    .as("%s, queued for %s behind a busy trainer, is trained once when the trainer is free (not"
                            + " archived by the broker after its deliveries were used up)", queued, QUEUED_FOR)
                    .containsOnlyOnce("STARTED").endsWith("SUCCEEDED");
            assertThat(events.get(0).get("attempt").asInt()).as("the queued run's first attempt").isOne();
            assertThat(log.takenDeliveries(queued)).as("deliveries of %s the trainer took", queued).containsExactly(1);
            assertThat(log.deliveriesLetGo()).as("records the busy trainer acquired and let go").isEmpty();
        }
    }

    /**
     * The events on the topic at least up to one of the busy run's after {@code since} (it sends a HEARTBEAT every
     * second): everything that happened until then.
     */
    private static List<ConsumerRecord<String, String>> eventsUpTo(String busy, Instant since) {
        return TopicClient.local().readUntil(Topics.RUN_EVENTS, records -> RunControlIT.events(records, busy).stream()
                .anyMatch(e -> Instant.parse(e.get("time").asText()).isAfter(since)), Duration.ofSeconds(30));
    }
}
