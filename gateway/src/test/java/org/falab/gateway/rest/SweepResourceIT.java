package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.gateway.KafkaTestClients;
import org.falab.contracts.events.Topics;
import org.falab.contracts.events.EventContract;
import org.falab.localstack.LocalStackResource;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Sweeps against the real broker: cells published as RunRequested with sweepId and cell, 400s naming the cell and
 * field, the sweep view folded from replayed trainer and analysis records; and the run view's WARNING events and
 * alignment results replayed from their topics.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SweepResourceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BASE = "\"base\": {\"dataset\": \"mnist\", \"method\": \"bp\", \"epochs\": 2}";

    @Inject
    ObjectMapper mapper;

    @Test
    void fiveVariantsTimesThreeSeedsPublishFifteenRunsWithSweepIdAndCell() throws Exception {
        ExtractableResponse<Response> accepted = given().contentType(ContentType.JSON).body("{" + BASE + ","
                        + " \"variants\": [{\"method\": \"bp\"}, {\"method\": \"fa\"},"
                        + " {\"method\": \"fa\", \"optimizer\": \"muon\"}, {\"method\": \"fa\", \"norm\": \"batch\"},"
                        + " {\"method\": \"fa\", \"norm\": \"layer\"}], \"grid\": {\"seed\": [1, 2, 3]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(202)
                .header("Location", matchesPattern(".*/api/v1/sweeps/sweep-[0-9a-f]{12}$"))
                .body("id", matchesPattern("^sweep-[0-9a-f]{12}$"))
                .body("runs.size()", equalTo(15))
                .body("runs[0].cell.method", equalTo("bp"))
                .body("runs[0].cell.seed", equalTo(1))
                .body("runs[8].cell.optimizer", equalTo("muon"))
                .body("runs[8].cell.seed", equalTo(3))
                .extract();
        String sweepId = accepted.path("id");
        List<String> runIds = accepted.path("runs.id");
        assertThat(new HashSet<>(runIds)).hasSize(15);

        Set<String> ids = new HashSet<>(runIds);
        List<ConsumerRecord<String, String>> records = TopicClient.of(LocalStackResource.kafkaBootstrapServers())
                .readUntil(Topics.RUN_REQUESTS, rs -> rs.stream().filter(r -> ids.contains(r.key())).count() >= 15,
                        WAIT)
                .stream().filter(r -> ids.contains(r.key())).toList();
        assertThat(records).hasSize(15);
        EventContract contract = EventContract.fromModule();
        for (ConsumerRecord<String, String> record : records) {
            assertThat(contract.violations("run-requested.schema.json", record.value())).as(record.value()).isEmpty();
            JsonNode value = mapper.readTree(record.value());
            assertThat(value.path("sweepId").asText()).isEqualTo(sweepId);
            JsonNode cell = value.path("cell");
            JsonNode spec = value.path("spec");
            assertThat(cell.path("seed").asLong()).isEqualTo(spec.path("seed").asLong());
            assertThat(cell.path("method").asText()).isEqualTo(spec.path("method").asText());
            assertThat(spec.path("epochs").asInt()).as("from the base").isEqualTo(2);
            if (cell.has("optimizer")) {
                assertThat(spec.path("optimizer").asText()).isEqualTo("muon");
            }
            assertThat(spec.path("norm").asText()).isEqualTo(cell.has("norm") ? cell.path("norm").asText() : "none");
        }

        given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200)
                .body("id", equalTo(sweepId))
                .body("state", equalTo("RUNNING"))
                .body("runs.size()", equalTo(15))
                .body("groups.size()", equalTo(5))
                .body("groups[2].cell.optimizer", equalTo("muon"))
                .body("groups[2].runs", equalTo(3))
                .body("groups[2].testAccuracy.n", equalTo(0));
        given().get("/api/v1/sweeps").then().statusCode(200).body("id", hasItem(sweepId));
        given().get("/api/v1/runs/" + runIds.get(0)).then().statusCode(200)
                .body("sweepId", equalTo(sweepId))
                .body("cell.seed", equalTo(1));
    }

    @Test
    void theSweepViewFoldsTrainerAndAnalysisRecords() {
        ExtractableResponse<Response> accepted = given().contentType(ContentType.JSON)
                .body("{" + BASE + ", \"grid\": {\"seed\": [1, 2]}}")
                .when().post("/api/v1/sweeps").then().statusCode(202).extract();
        String sweepId = accepted.path("id");
        List<String> runIds = accepted.path("runs.id");
        double[] accuracy = {0.8, 0.9};
        double[] rank = {10.0, 14.0};
        for (int i = 0; i < 2; i++) {
            String id = runIds.get(i);
            produce(Topics.RUN_EVENTS, id, Map.of("runId", id, "type", "SUCCEEDED", "time", Instant.now().toString(),
                    "epoch", 2, "step", 20, "totalSteps", 20, "trainLoss", 0.3, "testAccuracy", accuracy[i]));
            produce(Topics.ANALYSIS_RESULTS, id, Map.ofEntries(Map.entry("runId", id), Map.entry("step", 20),
                    Map.entry("epoch", 2), Map.entry("layer", "fc1"), Map.entry("layerIndex", 0),
                    Map.entry("quantity", "error-signal"), Map.entry("effectiveRank", rank[i]),
                    Map.entry("singularValueCount", 16), Map.entry("rows", 32), Map.entry("cols", 16),
                    Map.entry("nearZeroRows", 0), Map.entry("time", Instant.now().toString())));
        }
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("state", equalTo("DONE"))
                .body("groups.size()", equalTo(1))
                .body("groups[0].finished", equalTo(2))
                .body("groups[0].testAccuracy.n", equalTo(2))
                .body("groups[0].effectiveRank.fc1.n", equalTo(2)));
        JsonNode group = given().get("/api/v1/sweeps/" + sweepId).then().extract().as(JsonNode.class)
                .path("groups").get(0);
        assertThat(group.path("cell").size()).as("seed left out of the group's cell").isZero();
        assertThat(group.path("testAccuracy").path("mean").asDouble()).isCloseTo(0.85, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(group.path("testAccuracy").path("std").asDouble()).isCloseTo(Math.sqrt(0.005), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(group.path("effectiveRank").path("fc1").path("mean").asDouble()).isEqualTo(12.0);
        assertThat(group.path("effectiveRank").path("fc1").path("std").asDouble()).isCloseTo(2 * Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void anInvalidCellIsA400NamingTheCellAndField() {
        given().contentType(ContentType.JSON).body("{\"base\": {\"dataset\": \"cifar10\", \"method\": \"fa\"},"
                        + " \"variants\": [{\"model\": \"cnn\"}, {\"model\": \"resnet20\"}],"
                        + " \"grid\": {\"method\": [\"fa\", \"dfa\"]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/invalid-run-spec"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("cells[3].method"))
                .body("errors[0].message", containsString("resnet20"));
        given().contentType(ContentType.JSON).body("{" + BASE + ", \"grid\": {\"epochs\": [1, 0], \"color\": [1]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .body("errors.field", hasItem("cells[0].color"))
                .body("errors.field", hasItem("cells[1].color"));
        given().contentType(ContentType.JSON).body("{" + BASE + ", \"grid\": {\"epochs\": [1, 0]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("cells[1].epochs"))
                .body("errors[0].message", containsString("cell 1"));
        given().contentType(ContentType.JSON).body("{" + BASE + ", \"grid\": {\"hidden\": [[64], \"wide\"]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("cells[1].hidden"));
    }

    @Test
    void tooManyCellsOrAMalformedSweepIsA400() {
        String seeds = String.join(",", java.util.stream.IntStream.range(0, 201).mapToObj(Integer::toString).toList());
        given().contentType(ContentType.JSON).body("{" + BASE + ", \"grid\": {\"seed\": [" + seeds + "]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("grid"))
                .body("errors[0].message", containsString("200"));
        given().contentType(ContentType.JSON).body("{\"variants\": [{}]}")
                .when().post("/api/v1/sweeps").then().statusCode(400).body("errors.field", hasItem("base"));
        given().contentType(ContentType.JSON).body("{\"base\": ")
                .when().post("/api/v1/sweeps").then().statusCode(400).body("errors.field", hasItem("body"));
    }

    @Test
    void unknownSweepIsA404Problem() {
        given().get("/api/v1/sweeps/sweep-000000000000").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/sweep-not-found"));
    }

    @Test
    void warningsAndAlignmentResultsAreReplayedIntoTheRunView() {
        String id = given().contentType(ContentType.JSON).body("{\"dataset\": \"mnist\", \"method\": \"fa\"}")
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        // a warning of now: one from long ago would show the run STALLED (no heartbeat since)
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        produce(Topics.RUN_EVENTS, id, Map.of("runId", id, "type", "WARNING", "time", now,
                "epoch", 2, "step", 700, "trainLoss", 9.7, "reason", "loss diverging"));
        Map<String, Object> alignment = new java.util.HashMap<>(Map.of("runId", id, "step", 100, "epoch", 1,
                "layer", "fc2", "layerIndex", 1, "errorSignalAngleToBp", 61.3, "time", "2026-11-26T17:10:13Z"));
        alignment.put("weightFeedbackAngle", null);
        alignment.put("feedbackToWeightNormRatio", null);
        produce(Topics.ALIGNMENT_RESULTS, id, alignment);

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("RUNNING"))
                .body("warnings.size()", equalTo(1))
                .body("warnings[0].step", equalTo(700))
                .body("warnings[0].reason", equalTo("loss diverging"))
                .body("warnings[0].time", equalTo(now))
                .body("alignment.size()", equalTo(1))
                .body("alignment[0].layer", equalTo("fc2"))
                .body("alignment[0].errorSignalAngleToBp", equalTo(61.3f))
                .body("alignment[0].weightFeedbackAngle", org.hamcrest.Matchers.nullValue())
                // the fields a demo client reads are still there
                .body("progress.step", equalTo(700))
                .body("analysis.size()", equalTo(0))
                .body("snapshots.size()", equalTo(0)));
    }

    private void produce(String topic, String key, Object value) {
        try {
            KafkaTestClients.produce(topic, key, mapper.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
