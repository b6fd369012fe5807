package org.falab.analysis.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.Topics;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.contracts.json.ContractJson;
import org.falab.localstack.LocalTopics;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The object store goes away while a snapshot is pending: the real S3 server is stopped for about 30 s (its port
 * refuses connections) and started again on the same port with the same objects. The snapshot is analysed once it
 * is back and nothing is dead-lettered; a permanent error (a missing key, a matrix that is not what the event says)
 * is still dead-lettered at once, long before the retry window (180 s) could have run out.
 */
@QuarkusTest
@WithTestResource(RestartableStackResource.class)
class ObjectStoreOutageIT {

    private static final String BUCKET = "falab";
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Backoff reaches 15 s between attempts: the result comes within that of the store's return. */
    private static final Duration AFTER_RETURN = Duration.ofSeconds(60);
    /** Much less than the 180 s retry window: a dead letter this soon was not retried. */
    private static final Duration PROMPTLY = Duration.ofSeconds(30);
    private static final Pattern UNAVAILABLE =
            Pattern.compile("(?m)^falab_analysis_object_store_unavailable_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    private static MinioClient minio;
    private static TopicClient topics;

    @BeforeAll
    static void setUp() throws Exception {
        LocalTopics.ensure(RestartableStackResource.kafkaBootstrapServers());
        topics = TopicClient.of(RestartableStackResource.kafkaBootstrapServers());
        minio = MinioClient.builder().endpoint(RestartableStackResource.objectStoreEndpoint())
                .credentials(RestartableStackResource.ACCESS_KEY, RestartableStackResource.SECRET_KEY).build();
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
    }

    @Test
    void aSnapshotPendingDuringAnOutageIsAnalysedWhenTheStoreIsBackAndNothingIsDeadLettered() throws Exception {
        String runId = "run-outage-" + UUID.randomUUID();
        String signal = signal(runId, 10, "identity-16", 16, 16);
        double unavailableBefore = unavailableCount();

        RestartableStackResource.stopObjectStore();
        long stopped = System.nanoTime();
        try {
            topics.send(Topics.SNAPSHOTS, runId, snapshot(runId, 10, signal));
            // the service has really tried, and failed, to read during the outage (it did not simply not get to it)
            long deadline = System.nanoTime() + OUTAGE.toNanos();
            while (unavailableCount() <= unavailableBefore) {
                assertThat(System.nanoTime()).as("a failed read while the store is down").isLessThan(deadline);
                Thread.sleep(200);
            }
            long left = OUTAGE.toNanos() - (System.nanoTime() - stopped);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            assertThat(deadLetterKeys()).as("dead letters during the outage").doesNotContain(runId);
        } finally {
            RestartableStackResource.startObjectStore();
        }

        List<ConsumerRecord<String, String>> results = topics.readUntil(Topics.ANALYSIS_RESULTS,
                rs -> rs.stream().anyMatch(r -> runId.equals(r.key())), AFTER_RETURN);
        AnalysisResult result = results.stream().filter(r -> runId.equals(r.key())).findFirst()
                .map(r -> ContractJson.read(r.value(), AnalysisResult.class))
                .orElseThrow(() -> new AssertionError("no analysis result for " + runId + " within " + AFTER_RETURN
                        + " of the store's return"));
        assertThat(result.effectiveRank()).isEqualTo(16.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.step()).isEqualTo(10);
        assertThat(unavailableCount()).as("failed attempts counted").isGreaterThan(unavailableBefore);
        // the result is published after any dead letter of the same record would have been: the topic's end is enough
        assertThat(deadLetterKeys()).as("dead letters after the outage").doesNotContain(runId);
        given().get("/api/v1/analysis/{runId}", runId).then().statusCode(200);
    }

    @Test
    void permanentErrorsAreStillDeadLetteredAtOnceAndTheConsumerGoesOn() throws Exception {
        String missingRun = "run-missing-" + UUID.randomUUID();
        // the run's own snapshot key (the analysis reads no other), with no object under it
        topics.send(Topics.SNAPSHOTS, missingRun, snapshot(missingRun, 1, """
                {"layer": "fc1", "layerIndex": 0, "quantity": "error-signal", "key": "%s",
                 "rows": 4, "cols": 4, "layout": "examples x features"}""".formatted(
                        ObjectKeys.snapshot(missingRun, 1, "fc1", "error-signal"))));
        String badMatrixRun = "run-bad-matrix-" + UUID.randomUUID();
        // the object is 16x16, the event says 4x4
        topics.send(Topics.SNAPSHOTS, badMatrixRun, snapshot(badMatrixRun, 1, signal(badMatrixRun, 1, "identity-16", 4, 4)));
        String goodRun = "run-" + UUID.randomUUID();
        topics.send(Topics.SNAPSHOTS, goodRun, snapshot(goodRun, 1, signal(goodRun, 1, "identity-16", 16, 16)));

        List<ConsumerRecord<String, String>> dead = topics.readUntil(Topics.SNAPSHOTS_DLQ,
                rs -> rs.stream().filter(r -> missingRun.equals(r.key()) || badMatrixRun.equals(r.key())).count() == 2,
                PROMPTLY);
        assertThat(dead).filteredOn(r -> missingRun.equals(r.key())).singleElement()
                .satisfies(r -> assertThat(reason(r)).contains("NoSuchKey"));
        assertThat(dead).filteredOn(r -> badMatrixRun.equals(r.key())).singleElement()
                .satisfies(r -> assertThat(reason(r)).contains("the event says 4x4"));
        assertThat(topics.readUntil(Topics.ANALYSIS_RESULTS, rs -> rs.stream().anyMatch(r -> goodRun.equals(r.key())),
                PROMPTLY)).as("the record after them is analysed").anyMatch(r -> goodRun.equals(r.key()));
    }

    private static String reason(ConsumerRecord<String, String> r) {
        var header = r.headers().lastHeader("dead-letter-reason");
        return header == null ? "" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Prometheus' count of failed, retried object reads. */
    private static double unavailableCount() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = UNAVAILABLE.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The keys of every record on the snapshots' dead-letter topic, read from its start to its current end. */
    private static List<String> deadLetterKeys() {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RestartableStackResource.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SNAPSHOTS_DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read " + Topics.SNAPSHOTS_DLQ + " to its end").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    /** Puts the fixture into the bucket and returns a signal that points to it with the given shape. */
    private static String signal(String runId, long step, String fixture, int rows, int cols) throws Exception {
        String key = "runs/%s/snapshots/step-%08d/fc1.error-signal.npy".formatted(runId, step);
        try (InputStream in = ObjectStoreOutageIT.class.getResourceAsStream("/rank-fixtures/" + fixture + ".npy")) {
            byte[] data = in.readAllBytes();
            minio.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key).stream(
                    new java.io.ByteArrayInputStream(data), (long) data.length, -1L).build());
        }
        return """
                {"layer": "fc1", "layerIndex": 0, "quantity": "error-signal", "key": "%s", "rows": %d, "cols": %d,
                 "layout": "examples x features"}""".formatted(key, rows, cols);
    }

    private static String snapshot(String runId, long step, String... signals) {
        return """
                {"runId": "%s", "step": %d, "epoch": 1, "time": "%s", "bucket": "%s", "signals": [%s]}"""
                .formatted(runId, step, Instant.now(), BUCKET, String.join(",", signals));
    }
}
