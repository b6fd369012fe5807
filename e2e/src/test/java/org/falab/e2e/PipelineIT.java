package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.falab.contracts.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.DatasetSource;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.minio.GetObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.restassured.path.json.JsonPath;

/**
 * The whole pipeline on real parts: the packaged gateway (under test), trainer and analysis services, a real
 * Kafka broker and a real S3 server. A run goes in over HTTP and comes back trained, checkpointed, probed and
 * analysed; a new gateway instance rebuilds it from Kafka.
 */
@ExtendWith(PipelineStack.class)
class PipelineIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private static final Map<String, Object> TINY_RUN = Map.of(
            "dataset", "mnist", "method", "fa", "hidden", List.of(32), "epochs", 1, "batchSize", 20,
            "learningRate", 0.02, "trainSubset", 160, "testSubset", 60, "probeEvery", 4, "probeSize", 32);

    @Test
    void aRunSubmittedOverHttpIsTrainedCheckpointedProbedAnalysedAndSurvivesAGatewayRestart() throws Exception {
        String id = GatewayRuns.submit(TINY_RUN);
        JsonPath run = awaitFinished(id);
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("SUCCEEDED");
        assertThat(run.getString("metrics.engine")).contains("PyTorch");
        // the trainer's default device setting (auto) is this CPU-only machine's CPU, named by the run view
        assertThat(run.getString("metrics.device")).isEqualTo("cpu");
        assertThat(run.getString("metrics.engine")).endsWith("on cpu()");
        assertThat(run.getLong("progress.step")).isEqualTo(8L); // 160 examples / 20 per batch
        // the run view times the training: STARTED (engine and data loaded) before SUCCEEDED, both after submission
        java.time.Instant submitted = java.time.Instant.parse(run.getString("submittedAt"));
        java.time.Instant started = java.time.Instant.parse(run.getString("startedAt"));
        java.time.Instant finished = java.time.Instant.parse(run.getString("finishedAt"));
        assertThat(started).isAfterOrEqualTo(submitted).isBeforeOrEqualTo(finished);

        // the checkpoint is in the bucket and reloads into a model with the reported accuracy
        List<String> checkpoints = run.getList("checkpoints");
        assertThat(checkpoints).containsExactly("runs/" + id + "/checkpoints/epoch-0001.ckpt");
        double reloaded = Checkpoints.evaluate(object(checkpoints.get(0)), bucketDatasets());
        assertThat(reloaded).isEqualTo(run.getDouble("metrics.testAccuracy"));

        // every probe step's .npy files exist: steps 4 and 8, two layers, six quantities each (FA run)
        List<String> npyKeys = run.getList("snapshots.keys.flatten()");
        assertThat(npyKeys).hasSize(2 * 2 * 6);
        assertThat(npyKeys).filteredOn(key -> key.endsWith(".error-signal.npy")).hasSize(4);
        for (String key : npyKeys) {
            assertThat(exists(key)).as(key).isTrue();
        }

        // the analysis service's effective ranks reach the run: per probe step and layer, of the error signal,
        // the BP error signal, the activity and the update; and the alignment figures
        JsonPath analysed = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(id), r -> r.getList("analysis").size() == 2 * 2 * 4
                        && r.getList("alignment").size() == 2 * 2);
        Set<String> steps = analysed.getList("analysis", Map.class).stream()
                .filter(a -> "error-signal".equals(a.get("quantity")))
                .map(a -> a.get("step") + "/" + a.get("layer")).collect(Collectors.toSet());
        assertThat(steps).containsExactlyInAnyOrder("4/fc1", "4/fc2", "8/fc1", "8/fc2");
        for (Map<?, ?> alignment : analysed.getList("alignment", Map.class)) {
            assertThat(((Number) alignment.get("weightFeedbackAngle")).doubleValue()).isBetween(0.0, 180.0);
            assertThat(((Number) alignment.get("feedbackToWeightNormRatio")).doubleValue()).isPositive();
        }
        for (Map<?, ?> result : analysed.getList("analysis", Map.class)) {
            double rank = ((Number) result.get("effectiveRank")).doubleValue();
            int cols = ((Number) result.get("cols")).intValue();
            assertThat(rank).as(result.toString()).isGreaterThanOrEqualTo(1.0).isLessThanOrEqualTo(cols);
        }

        // a new gateway instance rebuilds the run from Kafka alone
        Map<String, String> config = PipelineStack.gatewaySettings();
        try (ServiceProcess restarted = ServiceProcess.start("gateway-restarted", "gateway", config)) {
            JsonPath replayed = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> given().baseUri(restarted.url()).get("/api/v1/runs/" + id).then().extract()
                            .jsonPath(), r -> r.getList("analysis") != null && r.getList("analysis").size() == 16);
            assertThat(replayed.getString("state")).isEqualTo("SUCCEEDED");
            assertThat(replayed.getList("checkpoints")).isEqualTo(checkpoints);
            assertThat(replayed.getMap("spec")).isEqualTo(run.getMap("spec"));
            assertThat(replayed.getDouble("metrics.testAccuracy")).isEqualTo(run.getDouble("metrics.testAccuracy"));
        }
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopicAndTheTrainerGoesOn() throws Exception {
        TopicClient kafka = TopicClient.of(PipelineStack.kafkaBootstrapServers());
        kafka.send(Topics.RUN_REQUESTS, "not-a-run", "{\"runId\": 42, oops");
        String id = GatewayRuns.submit(Map.of("dataset", "synthetic", "method", "bp", "hidden", List.of(16), "epochs", 1,
                "trainSubset", 64, "testSubset", 64, "batchSize", 32, "probeEvery", 2, "probeSize", 16));

        assertThat(awaitFinished(id).getString("state")).isEqualTo("SUCCEEDED");
        List<ConsumerRecord<String, String>> dead = kafka.readUntil(Topics.RUN_REQUESTS_DLQ,
                rs -> rs.stream().anyMatch(r -> "not-a-run".equals(r.key())), Duration.ofSeconds(30));
        assertThat(dead).filteredOn(r -> "not-a-run".equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo("{\"runId\": 42, oops"));
    }

    private static JsonPath awaitFinished(String id) {
        return GatewayRuns.awaitFinished(id, RUN_TIMEOUT);
    }

    private static JsonPath get(String id) {
        return GatewayRuns.get(id);
    }

    private static byte[] object(String key) throws Exception {
        try (InputStream in = PipelineStack.s3().getObject(GetObjectArgs.builder().bucket(PipelineStack.BUCKET)
                .object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static boolean exists(String key) throws Exception {
        try {
            PipelineStack.s3().statObject(StatObjectArgs.builder().bucket(PipelineStack.BUCKET).object(key)
                    .build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    private static DatasetSource bucketDatasets() {
        return (dataset, file) -> {
            try {
                return new ByteArrayInputStream(object("datasets/" + dataset + "/" + file));
            } catch (ErrorResponseException e) {
                throw new FileNotFoundException(file);
            } catch (Exception e) {
                throw new IOException(e);
            }
        };
    }
}
