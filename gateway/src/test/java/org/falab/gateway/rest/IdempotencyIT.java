package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.EventContract;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.FreshReplay;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.registry.RunRegistry;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Idempotency-Key on POST /api/v1/runs and /api/v1/sweeps, on the real broker: a retry answers 200 with what the
 * first created, another body 422, concurrent retries create one run, and the key survives a rebuild from Kafka.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class IdempotencyIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SPEC = "{\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": 2}";
    private static final String SWEEP = "{\"base\": {\"dataset\": \"mnist\", \"method\": \"bp\"},"
            + " \"grid\": {\"seed\": [1, 2, 3]}}";

    @Inject
    ObjectMapper mapper;

    @Test
    void aRetryWithTheSameKeyAndBodyAnswers200WithTheOriginalRun() throws Exception {
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = post("/api/v1/runs", key, SPEC).then().statusCode(202).extract();
        ExtractableResponse<Response> retry = post("/api/v1/runs", key, SPEC).then().statusCode(200)
                .contentType(ContentType.JSON).extract();

        String id = first.path("id");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location")).endsWith("/api/v1/runs/" + id);
        JsonNode original = mapper.readTree(first.asString());
        JsonNode again = mapper.readTree(retry.asString());
        assertThat(again.path("id")).isEqualTo(original.path("id"));
        assertThat(again.path("submittedAt")).isEqualTo(original.path("submittedAt"));
        assertThat(again.path("spec")).isEqualTo(original.path("spec"));
        assertThat(fieldNames(again)).isEqualTo(fieldNames(original));

        // the key and the body's SHA-256 are on the record, for any gateway that rebuilds its view
        RunRequested published = ContractJson.read(KafkaTestClients.findByKey(Topics.RUN_REQUESTS, id, WAIT)
                .orElseThrow().value(), RunRequested.class);
        assertThat(published.idempotencyKey()).isEqualTo(key);
        assertThat(published.requestHash()).isEqualTo(sha256(SPEC));
        assertThat(EventContract.fromModule().violations("run-requested.schema.json",
                ContractJson.write(published))).isEmpty();
        assertThat(recordsWithKey(key)).as("one run on Kafka").hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422NamingTheHeader() {
        String key = UUID.randomUUID().toString();
        post("/api/v1/runs", key, SPEC).then().statusCode(202);
        post("/api/v1/runs", key, SPEC.replace("\"epochs\": 2", "\"epochs\": 3")).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/idempotency-key-reused"))
                .body("status", equalTo(422))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        // a different body, even by whitespace only: the key names the bytes sent
        post("/api/v1/runs", key, SPEC + " ").then().statusCode(422);
        // a key is for one endpoint: the same key may name a sweep
        post("/api/v1/sweeps", key, SWEEP).then().statusCode(202);
        post("/api/v1/sweeps", key, SWEEP.replace("3]", "4]")).then().statusCode(422)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void badKeysAre400NamingTheHeader() {
        for (String bad : List.of("", " ", "k".repeat(256), "tab\tinside", "é-not-ascii")) {
            ExtractableResponse<Response> answer = given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", bad).body(SPEC).when().post("/api/v1/runs").then().extract();
            assertThat(answer.statusCode()).as("key '%s'", bad).isEqualTo(400);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.<String>path("errors[0].field")).isEqualTo("Idempotency-Key");
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", "a").header("Idempotency-Key", "b")
                .body(SPEC).when().post("/api/v1/sweeps")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"))
                .body("errors[0].message", containsString("once"));
        post("/api/v1/runs", "k".repeat(255), SPEC).then().statusCode(202);
        post("/api/v1/runs", "k".repeat(255), SPEC).then().statusCode(200);
    }

    @Test
    void aSweepRetryAnswers200WithTheSameSweepAndRuns() {
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = post("/api/v1/sweeps", key, SWEEP).then().statusCode(202).extract();
        ExtractableResponse<Response> retry = post("/api/v1/sweeps", key, SWEEP).then().statusCode(200).extract();
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.<String>path("id")).isEqualTo(first.path("id"));
        assertThat(retry.<List<String>>path("runs.id")).isEqualTo(first.path("runs.id")).hasSize(3);
        assertThat(retry.<List<Object>>path("runs.cell")).isEqualTo(first.path("runs.cell"));
        String sweepId = first.path("id");
        given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200).body("runs.size()", equalTo(3));
    }

    @Test
    void concurrentRequestsWithTheSameKeyCreateOneRun() throws Exception {
        String key = UUID.randomUUID().toString();
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Callable<ExtractableResponse<Response>> call = () -> {
                    start.await();
                    return post("/api/v1/runs", key, SPEC).then().extract();
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                statuses.add(answer.get().statusCode());
                ids.add(answer.get().path("id"));
            }
            assertThat(ids).as("one run").hasSize(1);
            assertThat(statuses).containsOnly(200, 202).filteredOn(s -> s == 202).hasSize(1);
            assertThat(recordsWithKey(key)).as("one RunRequested with the key").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetryToAGatewayThatDidNotTakeTheOriginalAnswers200FromTheReplay() throws Exception {
        // another gateway (or this one before a restart) took the submission: only Kafka knows it
        String key = UUID.randomUUID().toString();
        String id = "run-" + UUID.randomUUID().toString().substring(24);
        RunSpec spec = org.falab.contracts.spec.RunSpecChecks.read(SPEC, jakarta.validation.Validation
                .buildDefaultValidatorFactory().getValidator());
        RunRequested elsewhere = new RunRequested(id, spec, Instant.parse("2026-11-26T17:10:00Z"), null, null, key,
                sha256(SPEC));
        KafkaTestClients.produce(Topics.RUN_REQUESTS, id, ContractJson.write(elsewhere));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then().statusCode(200));
        post("/api/v1/runs", key, SPEC).then().statusCode(200)
                .header("Location", endsWith("/api/v1/runs/" + id))
                .body("id", equalTo(id))
                .body("submittedAt", equalTo("2026-11-26T17:10:00Z"));
        post("/api/v1/runs", key, "{\"dataset\": \"mnist\", \"method\": \"bp\"}").then().statusCode(422);
    }

    @Test
    void aGatewayRebuiltFromKafkaKnowsTheKeysThisOneTook() {
        String runKey = UUID.randomUUID().toString();
        String sweepKey = UUID.randomUUID().toString();
        String runId = post("/api/v1/runs", runKey, SPEC).then().statusCode(202).extract().path("id");
        String sweepId = post("/api/v1/sweeps", sweepKey, SWEEP).then().statusCode(202).extract().path("id");

        try (FreshReplay restarted = FreshReplay.start().awaitCaughtUp(WAIT)) {
            RunRegistry rebuilt = restarted.registry();
            assertThat(rebuilt.runForKey(runKey)).get().extracting(RunRegistry.Keyed::id, RunRegistry.Keyed::requestHash)
                    .containsExactly(runId, sha256(SPEC));
            assertThat(rebuilt.sweepForKey(sweepKey)).get().extracting(RunRegistry.Keyed::id).isEqualTo(sweepId);
            assertThat(rebuilt.sweep(sweepId)).hasSize(3);
            assertThat(rebuilt.runForKey(sweepKey)).as("a sweep's key names the sweep, not a run").isEmpty();
        }
        given().get("/api/v1/runs").then().body("id", hasItem(runId));
    }

    private static io.restassured.response.Response post(String path, String key, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).when().post(path);
    }

    /** The RunRequested records on Kafka that carry the key. */
    static List<RunRequested> recordsWithKey(String key) {
        List<RunRequested> keyed = new ArrayList<>();
        for (ConsumerRecord<String, String> record : KafkaTestClients.readToEnd(Topics.RUN_REQUESTS, WAIT)) {
            if (record.value() != null && record.value().contains(key)) {
                RunRequested request = ContractJson.read(record.value(), RunRequested.class);
                if (key.equals(request.idempotencyKey())) {
                    keyed.add(request);
                }
            }
        }
        return keyed;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String sha256(String body) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
