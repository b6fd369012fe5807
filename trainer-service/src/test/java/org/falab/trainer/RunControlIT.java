package org.falab.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.localstack.LocalStackResource;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cancelling, and taking a run that already has checkpoints, against a real broker and S3 server: a cancelled queued
 * run never starts, a running one stops within a step and the trainer takes the next run, and a run request delivered
 * again after its run finished resumes from the final checkpoint instead of training again.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunControlIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void datasetInBucket() throws Exception {
        RunTrainingIT.datasetInBucket();
    }

    @Test
    void aRunCancelledBeforeItIsTakenEndsCancelledWithoutTraining() throws Exception {
        String runId = "run-cancel-queued";
        cancel(runId);
        TopicClient.local().send(Topics.RUN_REQUESTS, runId, RunTrainingIT.request(runId, "fa"));

        List<JsonNode> events = eventsUntil(runId, "CANCELLED");
        assertThat(types(events)).containsExactly("CANCELLED");
        assertThat(events.get(0).get("reason").asText()).isEqualTo("cancelled in a test");
        assertThat(events.get(0).get("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void aRunningRunStopsWithinAStepWhenCancelledAndTheTrainerTakesTheNext() throws Exception {
        String runId = "run-cancel-running";
        TopicClient.local().send(Topics.RUN_REQUESTS, runId, longRequest(runId));
        TopicClient.local().readUntil(Topics.RUN_EVENTS, rs -> events(rs, runId).stream()
                .anyMatch(e -> e.get("type").asText().equals("PROGRESS") && e.get("step").asLong() >= 3),
                Duration.ofSeconds(60));
        cancel(runId);

        List<JsonNode> events = eventsUntil(runId, "CANCELLED");
        JsonNode cancelled = events.get(events.size() - 1);
        long total = events.get(0).get("totalSteps").asLong();
        assertThat(types(events)).first().isEqualTo("STARTED");
        assertThat(types(events)).doesNotContain("SUCCEEDED", "FAILED");
        assertThat(cancelled.get("step").asLong()).isBetween(3L, total - 1);

        String next = "run-after-cancel";
        TopicClient.local().send(Topics.RUN_REQUESTS, next, RunTrainingIT.request(next, "bp"));
        assertThat(types(eventsUntil(next, "SUCCEEDED"))).last().isEqualTo("SUCCEEDED");
    }

    @Test
    void aRequestDeliveredAgainAfterItsRunEndedIsANoOp() throws Exception {
        String runId = "run-delivered-twice";
        String request = RunTrainingIT.request(runId, "fa");
        TopicClient.local().send(Topics.RUN_REQUESTS, runId, request);
        int first = eventsUntil(runId, "SUCCEEDED").size();

        TopicClient.local().send(Topics.RUN_REQUESTS, runId, request);
        // one trainer, one run at a time: once the next run has ended, the duplicate was taken before it
        String next = "run-after-duplicate";
        TopicClient.local().send(Topics.RUN_REQUESTS, next, RunTrainingIT.request(next, "bp"));
        eventsUntil(next, "SUCCEEDED");
        assertThat(eventsUntil(runId, "SUCCEEDED")).as("no event of the duplicate delivery").hasSize(first);
    }

    static void cancel(String runId) throws Exception {
        TopicClient.local().send(Topics.RUN_CANCELLATIONS, runId,
                ContractJson.write(new RunCancellation(runId, Instant.now(), null, "cancelled in a test")));
    }

    /** Three epochs of the tiny data at batch 4: enough steps to cancel in the middle. */
    static String longRequest(String runId) throws Exception {
        return withSpec(RunTrainingIT.request(runId, "fa"), Map.of("epochs", 3, "batchSize", 4));
    }

    /** The run request with some fields of its spec changed. */
    static String withSpec(String runRequest, Map<String, Object> changes) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> request = JSON.readValue(runRequest, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) request.get("spec");
        spec.putAll(changes);
        return JSON.writeValueAsString(request);
    }

    static List<JsonNode> eventsUntil(String runId, String type) {
        return TopicClient.local().readUntil(Topics.RUN_EVENTS, rs -> events(rs, runId).stream()
                .anyMatch(e -> e.get("type").asText().equals(type)), Duration.ofSeconds(90))
                .stream().filter(r -> r.key().equals(runId)).map(RunControlIT::json)
                .filter(e -> !e.get("type").asText().equals("HEARTBEAT")).toList();
    }

    static List<JsonNode> events(List<ConsumerRecord<String, String>> records, String runId) {
        return records.stream().filter(r -> r.key().equals(runId)).map(RunControlIT::json).toList();
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).filter(t -> !t.equals("HEARTBEAT")).toList();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }
}
