package org.falab.gateway.messaging;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.FreshReplay;
import org.falab.gateway.RunState;
import org.falab.gateway.health.ReplayReadinessCheck;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The replay of 10,000 finished runs (a request, a start, progress, a heartbeat, an epoch, two analysis results and
 * the end of each: 80,000 records) into a fresh registry, as a restarted gateway does it: readiness is DOWN until
 * the replay caught up with the end offsets it saw at startup, and then every run is in the view. Prints the replay
 * time and the heap the view takes; asserts only correctness.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ReplayCatchUpIT {

    private static final int RUNS = 10_000;
    private static final Instant LONG_AGO = Instant.parse("2025-01-01T00:00:00Z");

    @Inject
    RunRegistry appRegistry;

    @Test
    void tenThousandFinishedRunsAreReplayedCompletelyBeforeReadiness() throws Exception {
        String prefix = "run-replay-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long published = publish(prefix);
        // the application's own replay reads them too; let it finish so it does not blur the heap figures
        await().atMost(Duration.ofSeconds(120)).until(() -> appRegistry.find(prefix + (RUNS - 1))
                .map(r -> r.state() == RunState.SUCCEEDED).orElse(false));

        long before = usedHeapAfterGc();
        RunRegistry registry = new RunRegistry();
        try (FreshReplay replay = FreshReplay.create(registry)) {
            HealthCheckResponse notYet = ReplayReadinessCheck.of(replay.consumer().progress(), 0);
            assertThat(notYet.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            long start = System.nanoTime();
            replay.begin().awaitCaughtUp(Duration.ofSeconds(120));
            double seconds = (System.nanoTime() - start) / 1e9;

            // caught up means complete: every run is there, finished, at once
            for (int i = 0; i < RUNS; i++) {
                Run run = registry.find(prefix + i).orElseThrow(() -> new AssertionError("a run is missing"));
                assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.metrics().testAccuracy()).isNotNull();
                assertThat(run.analysis()).hasSize(2);
            }
            HealthCheckResponse ready = ReplayReadinessCheck.of(replay.consumer().progress(),
                    replay.consumer().applied());
            assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

            long after = usedHeapAfterGc();
            System.out.printf("replay: %d runs (%d records published, %d applied, %d runs in the view) caught up "
                            + "in %.2f s (%.0f records/s, catch-up %s); heap used %.1f MB before, %.1f MB after: "
                            + "%.1f MB for the view, about %d bytes per run%n", RUNS, published,
                    replay.consumer().applied(), registry.size(), seconds, replay.consumer().applied() / seconds,
                    replay.consumer().progress().catchUpTime(), before / 1e6, after / 1e6, (after - before) / 1e6,
                    (after - before) / Math.max(1, registry.size()));
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'replay' }.status", equalTo("UP"));
    }

    /** Writes the runs' records with one fast producer; returns how many. */
    private static long publish(String prefix) throws Exception {
        RunSpec spec = org.falab.contracts.spec.RunSpecChecks.read("{\"dataset\": \"mnist\", \"method\": \"fa\"}",
                jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator());
        long count = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RUNS; i++) {
                String id = prefix + i;
                Instant t = LONG_AGO.plusMillis(i * 10L);
                List<ProducerRecord<String, String>> records = List.of(
                        record(Topics.RUN_REQUESTS, id, new RunRequested(id, spec, t)),
                        record(Topics.RUN_EVENTS, id, event(id, RunEventType.STARTED, t, 0L, null, null)),
                        record(Topics.RUN_EVENTS, id, event(id, RunEventType.PROGRESS, t.plusSeconds(1), 50L, 0.9,
                                null)),
                        record(Topics.RUN_EVENTS, id, event(id, RunEventType.HEARTBEAT, t.plusSeconds(2), 60L, null,
                                null)),
                        record(Topics.RUN_EVENTS, id, event(id, RunEventType.EPOCH_COMPLETED, t.plusSeconds(3), 100L,
                                0.5, 0.8)),
                        record(Topics.ANALYSIS_RESULTS, id, analysis(id, "fc1", 0, t)),
                        record(Topics.ANALYSIS_RESULTS, id, analysis(id, "fc2", 1, t)),
                        record(Topics.RUN_EVENTS, id, event(id, RunEventType.SUCCEEDED, t.plusSeconds(4), 100L, 0.4,
                                0.85)));
                for (ProducerRecord<String, String> record : records) {
                    producer.send(record);
                    count++;
                }
            }
            producer.flush();
        }
        return count;
    }

    private static ProducerRecord<String, String> record(String topic, String key, Object value) {
        return new ProducerRecord<>(topic, key, ContractJson.write(value));
    }

    private static RunEvent event(String id, RunEventType type, Instant time, Long step, Double loss,
            Double accuracy) {
        return new RunEvent(id, type, time, 1, step, 100L, loss, accuracy, null,
                type == RunEventType.SUCCEEDED ? 12.5 : null, type == RunEventType.STARTED ? "PyTorch" : null,
                type == RunEventType.STARTED ? "cpu" : null, null, 1, type == RunEventType.STARTED ? 0L : null);
    }

    private static AnalysisResult analysis(String id, String layer, int index, Instant time) {
        return new AnalysisResult(id, 100, 1, layer, index, "error-signal", 12.5, 64, 256, 64, 0, time);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
