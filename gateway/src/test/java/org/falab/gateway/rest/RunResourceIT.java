package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.falab.gateway.KafkaTestClients;
import org.falab.contracts.events.Topics;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Against the real broker: POST publishes a keyed RunRequested; records written by plain producers (as the trainer
 * and the analysis service would) show up in GET; malformed records do not stop the replay.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunResourceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ObjectMapper mapper;

    @Test
    void postPublishesARunRequestedKeyedByRunId() throws Exception {
        String id = submit("{\"dataset\": \"fashion-mnist\", \"method\": \"fa\", \"epochs\": 2, \"hidden\": [64]}");

        given().when().get("/api/v1/runs/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("state", equalTo("QUEUED"))
                .body("spec.epochs", equalTo(2));

        ConsumerRecord<String, String> record = KafkaTestClients.findByKey(Topics.RUN_REQUESTS, id, WAIT)
                .orElseThrow(() -> new AssertionError("no RunRequested for " + id));
        JsonNode value = mapper.readTree(record.value());
        assertThat(record.key()).isEqualTo(id);
        assertThat(value.path("runId").asText()).isEqualTo(id);
        assertThat(value.path("submittedAt").asText()).isNotBlank();
        JsonNode spec = value.path("spec");
        assertThat(spec.path("dataset").asText()).isEqualTo("fashion-mnist");
        assertThat(spec.path("method").asText()).isEqualTo("fa");
        assertThat(spec.path("epochs").asInt()).isEqualTo(2);
        assertThat(spec.path("hidden").toString()).isEqualTo("[64]");
        assertThat(spec.path("optimizer").asText()).isEqualTo("sgd");
        assertThat(spec.path("batchSize").asInt()).isEqualTo(128);
        assertThat(spec.path("learningRate").asDouble()).isEqualTo(0.01);
        assertThat(spec.path("seed").asLong()).isEqualTo(42);
        assertThat(spec.path("probeEvery").asInt()).isEqualTo(100);
        assertThat(spec.path("probeSize").asInt()).isEqualTo(256);
    }

    @Test
    void trainerAndAnalysisEventsDriveTheRun() {
        String id = submit("{\"dataset\": \"mnist\", \"method\": \"bp\"}");

        trainer(id, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 1407,
                "engine", "PyTorch 2.7.1 on cpu()"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("RUNNING"))
                .body("metrics.engine", equalTo("PyTorch 2.7.1 on cpu()")));

        trainer(id, Map.of("type", "PROGRESS", "epoch", 1, "step", 50, "totalSteps", 1407, "trainLoss", 0.84));
        trainer(id, Map.of("type", "EPOCH_COMPLETED", "epoch", 1, "step", 469, "totalSteps", 1407,
                "trainLoss", 0.61, "testAccuracy", 0.8123));
        String checkpoint = "runs/" + id + "/checkpoints/epoch-0001.ckpt";
        trainer(id, Map.of("type", "CHECKPOINT_WRITTEN", "epoch", 1, "step", 469, "checkpointKey", checkpoint));
        produce(Topics.SNAPSHOTS, id, Map.of("runId", id, "step", 100, "epoch", 1, "time", "2026-11-26T17:10:12Z",
                "bucket", "falab", "signals", List.of(Map.of("layer", "fc1", "layerIndex", 0,
                        "quantity", "error-signal", "key", "runs/" + id + "/snapshots/step-00000100/fc1.error-signal.npy",
                        "rows", 256, "cols", 256, "layout", "examples x features"))));
        analysis(id, 100, "fc2", 1, 12.5);
        analysis(id, 100, "fc1", 0, 30.0);
        analysis(id, 100, "fc1", 0, 37.52); // at-least-once: the same (step, layer, quantity) replaces

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("checkpoints", contains(checkpoint))
                .body("snapshots.step", contains(100))
                .body("snapshots[0].keys", contains("runs/" + id + "/snapshots/step-00000100/fc1.error-signal.npy"))
                .body("analysis.size()", equalTo(2))
                .body("analysis[0].layer", equalTo("fc1"))
                .body("analysis[0].effectiveRank", equalTo(37.52f)));

        trainer(id, Map.of("type", "SUCCEEDED", "epoch", 3, "step", 1407, "totalSteps", 1407, "trainLoss", 0.42,
                "testAccuracy", 0.8531, "trainingSeconds", 120.4));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("reason", nullValue())
                .body("progress.epoch", equalTo(3))
                .body("progress.step", equalTo(1407))
                .body("progress.totalSteps", equalTo(1407))
                .body("metrics.trainLoss", equalTo(0.42f))
                .body("metrics.testAccuracy", equalTo(0.8531f))
                .body("metrics.trainingSeconds", equalTo(120.4f))
                .body("metrics.engine", equalTo("PyTorch 2.7.1 on cpu()"))
                .body("spec.dataset", equalTo("mnist")));

        given().get("/api/v1/runs/" + id + "/analysis").then()
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("layer", contains("fc1", "fc2"))
                .body("[0].step", equalTo(100))
                .body("[0].layerIndex", equalTo(0))
                .body("[0].quantity", equalTo("error-signal"))
                .body("[0].singularValueCount", equalTo(256))
                .body("[0].nearZeroRows", equalTo(0));
        given().get("/api/v1/runs").then()
                .statusCode(200)
                .body("id", hasItem(id));
    }

    @Test
    void failedRunShowsItsReason() {
        String id = submit("{\"dataset\": \"synthetic\", \"method\": \"fa\"}");
        trainer(id, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 10));
        trainer(id, Map.of("type", "FAILED", "epoch", 1, "step", 7, "reason", "train loss became NaN at step 7"));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("FAILED"))
                .body("reason", equalTo("train loss became NaN at step 7")));
    }

    @Test
    void runsWrittenOnlyToKafkaAreRebuiltByTheReplay() {
        // never POSTed to this gateway: as if another gateway (or this one before a restart) accepted it
        String id = "run-replayed-" + System.nanoTime();
        produce(Topics.RUN_REQUESTS, id, Map.of("runId", id, "submittedAt", "2026-11-26T17:10:00Z",
                "spec", Map.ofEntries(Map.entry("dataset", "fashion-mnist"), Map.entry("model", "mlp"),
                        Map.entry("hidden", List.of(32)), Map.entry("method", "fa"), Map.entry("optimizer", "sgd"),
                        Map.entry("epochs", 1), Map.entry("batchSize", 64), Map.entry("learningRate", 0.05),
                        Map.entry("momentum", 0.9), Map.entry("weightDecay", 0.0), Map.entry("seed", 7),
                        Map.entry("probeEvery", 10), Map.entry("probeSize", 32))));
        // and one the gateway only knows from a trainer event (its request not seen)
        String orphan = "run-orphan-" + System.nanoTime();
        trainer(orphan, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 5));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .statusCode(200)
                .body("state", equalTo("QUEUED"))
                .body("spec.hidden", contains(32))
                .body("spec.learningRate", equalTo(0.05f)));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + orphan).then()
                .statusCode(200)
                .body("state", equalTo("RUNNING"))
                .body("spec", nullValue()));
    }

    @Test
    void malformedRecordsDoNotStopTheReplay() {
        String id = submit("{\"dataset\": \"mnist\", \"method\": \"fa\"}");
        KafkaTestClients.produce(Topics.RUN_EVENTS, id, "{this is not json");
        KafkaTestClients.produce(Topics.RUN_EVENTS, id, "{\"runId\": \"" + id + "\", \"type\": \"EXPLODED\"}");
        KafkaTestClients.produce(Topics.RUN_EVENTS, id, "{\"type\": \"STARTED\"}");
        KafkaTestClients.produce(Topics.ANALYSIS_RESULTS, id, "[]");
        trainer(id, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 10));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("RUNNING")));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("falab_replay_records_skipped_total"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void replayReadsEveryTopicFromTheBeginningWithItsOwnGroup() {
        var config = ConfigProvider.getConfig();
        assertThat(config.getValue("falab.gateway.replay.group-id", String.class))
                .matches("falab-gateway-[0-9a-f-]{36}");
        assertThat(config.getValue("falab.gateway.replay.topics", String.class).split(","))
                .containsExactlyInAnyOrderElementsOf(Topics.REPLAYED);
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/runs'.post.responses.'202'", org.hamcrest.Matchers.notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
        // ready once the replay caught up with the end offsets it saw at startup
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'replay' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'replay' }.data.caughtUp", equalTo(true)));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("falab_gateway_replay_catch_up_seconds"));
    }

    @Test
    void theOpenApiDocumentDocumentsEveryRunSpecFieldFromTheContract() throws Exception {
        io.restassured.path.json.JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        assertThat(doc.getString("paths.'/api/v1/runs'.post.requestBody.content.'application/json'.schema.'$ref'"))
                .endsWith("/RunSpec");
        java.util.Map<String, Object> properties = doc.getMap("components.schemas.RunSpec.properties");
        var defaults = org.falab.contracts.json.ContractJson.tree(org.falab.contracts.spec.RunSpec.defaults());
        int documented = 0;
        for (var component : org.falab.contracts.spec.RunSpec.class.getRecordComponents()) {
            String field = component.getName();
            assertThat(properties).as("OpenAPI property " + field).containsKey(field);
            var description = org.falab.contracts.spec.RunSpec.class.getDeclaredField(field)
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonPropertyDescription.class);
            assertThat(doc.getString("components.schemas.RunSpec.properties." + field + ".description"))
                    .as(field).isEqualTo(description.value());
            if (!defaults.get(field).isNull()) {
                assertThat(doc.getString("components.schemas.RunSpec.properties." + field + ".default"))
                        .as(field + " default").isNotNull();
            }
            documented++;
        }
        assertThat(documented).isEqualTo(27);
        assertThat(doc.getList("components.schemas.RunSpec.properties.dataset.enum"))
                .containsExactly("fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic");
        assertThat(doc.getInt("components.schemas.RunSpec.properties.probeSize.maximum")).isEqualTo(4096);
        assertThat(doc.getInt("components.schemas.RunSpec.properties.epochs.default")).isEqualTo(3);
    }

    private String submit(String spec) {
        return given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .extract().path("id");
    }

    private void trainer(String id, Map<String, Object> fields) {
        Map<String, Object> event = new java.util.HashMap<>(fields);
        event.put("runId", id);
        event.put("time", java.time.Instant.now().toString());
        produce(Topics.RUN_EVENTS, id, event);
    }

    private void analysis(String id, long step, String layer, int index, double rank) {
        produce(Topics.ANALYSIS_RESULTS, id, Map.ofEntries(Map.entry("runId", id), Map.entry("step", step),
                Map.entry("epoch", 1), Map.entry("layer", layer), Map.entry("layerIndex", index),
                Map.entry("quantity", "error-signal"), Map.entry("effectiveRank", rank),
                Map.entry("singularValueCount", 256), Map.entry("rows", 256), Map.entry("cols", 256),
                Map.entry("nearZeroRows", 0), Map.entry("time", java.time.Instant.now().toString())));
    }

    private void produce(String topic, String key, Object value) {
        try {
            KafkaTestClients.produce(topic, key, mapper.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
