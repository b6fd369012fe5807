package org.falab.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.DatasetSource;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.localstack.LocalStackResource;
import org.falab.localstack.TinyMnist;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The trainer against a real broker and a real S3 server: a run request in, events, checkpoints and .npy
 * snapshots out; bad records to the dead-letter topic without stopping the consumer.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunTrainingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "falab";
    private static MinioClient s3;

    @BeforeAll
    static void datasetInBucket() throws Exception {
        s3 = MinioClient.builder().endpoint(LocalStackResource.objectStoreEndpoint())
                .credentials(LocalStackResource.ACCESS_KEY, LocalStackResource.SECRET_KEY).build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }
        for (var file : TinyMnist.dataset(96, 40).entrySet()) {
            put("datasets/mnist/" + file.getKey(), file.getValue());
        }
    }

    @Test
    void runRequestIsTrainedCheckpointedAndProbed() throws Exception {
        String runId = "run-trainer-fa";
        TopicClient.local().send("falab.run-requests", runId, request(runId, "fa"));

        List<JsonNode> events = eventsUntilFinished(runId);
        List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
        assertThat(types).first().isEqualTo("STARTED");
        assertThat(types).last().isEqualTo("SUCCEEDED");
        assertThat(types).contains("PROGRESS", "EPOCH_COMPLETED", "CHECKPOINT_WRITTEN");
        assertThat(events.get(0).get("engine").asText()).contains("PyTorch");
        assertThat(events.get(0).get("device").asText()).as("auto on a CPU-only machine").isEqualTo("cpu");

        JsonNode epoch = events.stream().filter(e -> e.get("type").asText().equals("EPOCH_COMPLETED")).findFirst()
                .orElseThrow();
        JsonNode checkpoint = events.stream().filter(e -> e.get("type").asText().equals("CHECKPOINT_WRITTEN"))
                .findFirst().orElseThrow();
        String key = checkpoint.get("checkpointKey").asText();
        assertThat(key).isEqualTo("runs/" + runId + "/checkpoints/epoch-0001.ckpt");
        assertThat(exists(key + ".tmp")).as("temporary checkpoint removed").isFalse();

        // the checkpoint loads back into a model with the same test accuracy
        byte[] bytes = get(key);
        double reloaded = Checkpoints.evaluate(bytes, bucketDatasets());
        assertThat(reloaded).isEqualTo(epoch.get("testAccuracy").asDouble());

        // probes: every layer's error signal as .npy with the announced shape
        List<JsonNode> snapshots = TopicClient.local().readUntil("falab.snapshots",
                rs -> rs.stream().filter(r -> r.key().equals(runId)).count() >= 2, Duration.ofSeconds(30))
                .stream().filter(r -> r.key().equals(runId)).map(RunTrainingIT::json).toList();
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(2);
        JsonNode first = snapshots.get(0);
        assertThat(first.get("bucket").asText()).isEqualTo(BUCKET);
        // every quantity of every layer: error signal, the true BP one (FA run), activity, W, B and the update
        assertThat(first.get("signals")).hasSize(12);
        for (JsonNode signal : first.get("signals")) {
            byte[] npy = get(signal.get("key").asText());
            assertThat(new String(npy, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
            String header = new String(npy, 10, npyHeaderLength(npy), StandardCharsets.US_ASCII);
            assertThat(header).contains("'shape': (" + signal.get("rows").asInt() + ", "
                    + signal.get("cols").asInt() + ")");
        }
        List<JsonNode> errorSignals = new java.util.ArrayList<>();
        first.get("signals").forEach(signal -> {
            if (signal.get("quantity").asText().equals("error-signal")) {
                errorSignals.add(signal);
            }
        });
        assertThat(errorSignals).extracting(s -> s.get("layer").asText()).containsExactly("fc1", "fc2");
        assertThat(errorSignals).extracting(s -> s.get("cols").asInt()).containsExactly(16, 10);
        assertThat(errorSignals).extracting(s -> s.get("rows").asInt()).containsExactly(8, 8);

        // a later snapshot references FA's fixed B and the probe batch (fc1's input) where they were first stored,
        // and stores what changed under its own step
        JsonNode later = snapshots.get(1);
        long laterStep = later.get("step").asLong();
        for (String repeated : List.of("fc1/feedback", "fc2/feedback", "fc1/activity")) {
            assertThat(keyOf(later, repeated)).as(repeated).isEqualTo(keyOf(first, repeated));
            String[] lq = repeated.split("/");
            assertThat(exists(ObjectKeys.snapshot(runId, laterStep, lq[0], lq[1]))).as("no second copy of " + repeated)
                    .isFalse();
        }
        for (String changed : List.of("fc1/error-signal", "fc1/weight", "fc2/activity")) {
            String[] lq = changed.split("/");
            assertThat(keyOf(later, changed)).as(changed).isEqualTo(ObjectKeys.snapshot(runId, laterStep, lq[0], lq[1]));
            assertThat(exists(keyOf(later, changed))).as(changed).isTrue();
        }

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("falab_training_steps_total{method=\"fa\",optimizer=\"sgd\",run_id=\"" + runId));
        // the dashboards' x axis is the run's step; once the run ended here it is no longer active (alerts on its
        // last values stop); no checkpoint write failed
        long steps = events.get(events.size() - 1).get("step").asLong();
        assertThat(steps).isPositive();
        String labels = "\\{method=\"fa\",optimizer=\"sgd\",run_id=\"" + runId + "\"\\}";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(sample(scrape, "falab_training_step" + labels)).isEqualTo(steps);
            assertThat(sample(scrape, "falab_training_active" + labels)).isZero();
            assertThat(sample(scrape, "falab_checkpoint_failures_total(?:\\{[^}]*\\})?")).isZero();
        });
    }

    /** The key of a snapshot's signal named {@code layer/quantity}. */
    private static String keyOf(JsonNode snapshot, String layerAndQuantity) {
        for (JsonNode signal : snapshot.get("signals")) {
            if ((signal.get("layer").asText() + "/" + signal.get("quantity").asText()).equals(layerAndQuantity)) {
                return signal.get("key").asText();
            }
        }
        throw new AssertionError(layerAndQuantity + " not in the snapshot of step " + snapshot.get("step"));
    }

    /** The value of the sample whose name and labels match the regular expression {@code series}. */
    private static double sample(String scrape, String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("%s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void malformedRequestsGoToTheDeadLetterTopicAndTheTrainerGoesOn() throws Exception {
        TopicClient.local().send("falab.run-requests", "garbage", "this is not json");
        TopicClient.local().send("falab.run-requests", "bad-spec", "{\"runId\":\"run-bad-spec\",\"submittedAt\":"
                + "\"2026-11-26T00:00:00Z\",\"spec\":{\"dataset\":\"mnist\"}}");
        String runId = "run-after-garbage";
        TopicClient.local().send("falab.run-requests", runId, request(runId, "bp"));

        List<ConsumerRecord<String, String>> dead = TopicClient.local().readUntil("falab.run-requests.dlq",
                rs -> rs.stream().map(ConsumerRecord::key).toList().containsAll(List.of("garbage", "bad-spec")),
                Duration.ofSeconds(60));
        assertThat(dead).extracting(ConsumerRecord::key).contains("garbage", "bad-spec");
        assertThat(dead).filteredOn(r -> r.key().equals("garbage")).first()
                .satisfies(r -> assertThat(r.value()).isEqualTo("this is not json"));

        List<JsonNode> events = eventsUntilFinished(runId);
        assertThat(events).last().satisfies(e -> assertThat(e.get("type").asText()).isEqualTo("SUCCEEDED"));
    }

    static String request(String runId, String method) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "runId", runId,
                "submittedAt", "2026-11-26T17:00:00Z",
                "spec", Map.ofEntries(
                        Map.entry("dataset", "mnist"), Map.entry("model", "mlp"), Map.entry("hidden", List.of(16)),
                        Map.entry("method", method), Map.entry("optimizer", "sgd"), Map.entry("epochs", 1),
                        Map.entry("batchSize", 16), Map.entry("learningRate", 0.05), Map.entry("momentum", 0.9),
                        Map.entry("weightDecay", 0.0), Map.entry("seed", 7), Map.entry("trainSubset", 64),
                        Map.entry("testSubset", 40), Map.entry("probeEvery", 2), Map.entry("probeSize", 8))));
    }

    private static List<JsonNode> eventsUntilFinished(String runId) {
        return TopicClient.local().readUntil("falab.run-events",
                rs -> rs.stream().filter(r -> r.key().equals(runId)).map(RunTrainingIT::json)
                        .anyMatch(e -> List.of("SUCCEEDED", "FAILED").contains(e.get("type").asText())),
                Duration.ofSeconds(120))
                .stream().filter(r -> r.key().equals(runId)).map(RunTrainingIT::json).toList();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }

    private static DatasetSource bucketDatasets() {
        return (dataset, file) -> {
            try {
                return new ByteArrayInputStream(get("datasets/" + dataset + "/" + file));
            } catch (ErrorResponseException e) {
                throw new java.io.FileNotFoundException(file);
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        };
    }

    private static int npyHeaderLength(byte[] npy) {
        return ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    }

    private static void put(String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
    }

    private static byte[] get(String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(BUCKET).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static boolean exists(String key) throws Exception {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(BUCKET).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }
}
