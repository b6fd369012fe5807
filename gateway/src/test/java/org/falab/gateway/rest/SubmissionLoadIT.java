package org.falab.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.registry.RunRegistry;
import org.falab.contracts.auth.Claims;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A load test, not a benchmark: 1,000 submissions from 16 concurrent clients, each with its own Idempotency-Key,
 * every one acknowledged by the real broker before its 202. It asserts only correctness (exactly 1,000 runs, one
 * record each, retries answered with the same run) and prints the latencies. Each client is its own researcher, as
 * 16 people would be (one user would hit the quota of active runs).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SubmissionLoadIT {

    private static final int SUBMISSIONS = 1000;
    private static final int CLIENTS = 16;

    @TestHTTPResource("/api/v1/runs")
    URL runs;

    @Inject
    RunRegistry registry;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aThousandSubmissionsFromSixteenClientsMakeExactlyAThousandRuns() throws Exception {
        String prefix = "load-" + UUID.randomUUID() + "-";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<String, String> idByKey = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = client; i < SUBMISSIONS; i += CLIENTS) {
                        String key = prefix + i;
                        // a different seed each: 1,000 distinct bodies
                        long sent = System.nanoTime();
                        HttpResponse<String> answer = post(http, key, body(i), tokenOf(client));
                        latencies.add(System.nanoTime() - sent);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                        idByKey.put(key, mapper.readTree(answer.body()).path("id").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(idByKey).hasSize(SUBMISSIONS);
        assertThat(new HashSet<>(idByKey.values())).as("distinct runs").hasSize(SUBMISSIONS);
        for (var entry : idByKey.entrySet()) {
            assertThat(registry.runForKey(entry.getKey())).get().extracting(RunRegistry.Keyed::id)
                    .isEqualTo(entry.getValue());
            assertThat(registry.find(entry.getValue())).isPresent();
        }
        // retries of a sample: the same run, nothing new on Kafka
        for (int i = 0; i < SUBMISSIONS; i += 50) {
            HttpResponse<String> retry = post(http, prefix + i, body(i), tokenOf(i % CLIENTS));
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(retry.body()).path("id").asText()).isEqualTo(idByKey.get(prefix + i));
        }
        Set<String> keysOnKafka = new HashSet<>();
        int records = 0;
        for (ConsumerRecord<String, String> record : KafkaTestClients.readToEnd(Topics.RUN_REQUESTS,
                Duration.ofSeconds(60))) {
            if (record.value() != null && record.value().contains(prefix)) {
                records++;
                keysOnKafka.add(ContractJson.read(record.value(), RunRequested.class).idempotencyKey());
            }
        }
        assertThat(records).as("exactly one RunRequested per submission").isEqualTo(SUBMISSIONS);
        assertThat(keysOnKafka).isEqualTo(idByKey.keySet());

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("load: %d submissions from %d clients in %.2f s (%.0f/s); latency p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms%n", SUBMISSIONS, CLIENTS, seconds, SUBMISSIONS / seconds,
                quantile(sorted, 0.50) / 1e6, quantile(sorted, 0.99) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    private static String tokenOf(int client) {
        return LocalStackResource.auth().token("load-client-" + client, Claims.RESEARCHER);
    }

    private HttpResponse<String> post(HttpClient http, String key, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runs.toString()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String body(int i) {
        return "{\"dataset\": \"synthetic\", \"method\": \"fa\", \"seed\": " + i + "}";
    }

    private static double quantile(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
