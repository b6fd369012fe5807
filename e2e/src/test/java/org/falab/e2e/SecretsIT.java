package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.events.Topics;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.localstack.TopicClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The object-store secret is handled as a secret on the packaged services: a whole run (trained, probed, analysed),
 * a run that fails on the object store, a snapshot whose object is missing and bad requests to every service, and
 * then the distinctive secret of {@link PipelineStack} is in none of the services' logs, no record (value or header)
 * on any falab topic, no {@code /q/metrics} page and no error body; nor on any service's command line
 * ({@code /proc/PID/cmdline}, what {@code ps} shows), while each process does have it, in its environment.
 */
@ExtendWith(PipelineStack.class)
class SecretsIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @Test
    void theSecretIsInNoLogEventMetricErrorBodyOrCommandLine() throws Exception {
        String secret = PipelineStack.SECRET_KEY;
        PipelineStack.Running stack = PipelineStack.running();
        List<ServiceProcess> services = List.of(stack.trainer(), stack.analysis(), stack.gateway());

        // a whole run, end to end
        String good = GatewayRuns.submit(Map.of("dataset", "mnist", "method", "fa", "hidden", List.of(16), "epochs", 1,
                "batchSize", 20, "trainSubset", 80, "testSubset", 40, "probeEvery", 2, "probeSize", 16));
        assertThat(awaitFinished(good).getString("state")).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> !get(good).getList("analysis").isEmpty());
        // a run whose data is not in the bucket (nor on disk): the trainer fails it on the object store's answer
        String failing = GatewayRuns.submit(Map.of("dataset", "fashion-mnist", "method", "bp", "hidden", List.of(8),
                "epochs", 1, "trainSubset", 40, "testSubset", 40));
        assertThat(awaitFinished(failing).getString("state")).isEqualTo("FAILED");
        // a snapshot in scope whose object is missing: the analysis dead-letters it with the store's answer
        String missing = "run-missing-" + java.util.UUID.randomUUID();
        TopicClient kafka = TopicClient.of(PipelineStack.kafkaBootstrapServers());
        kafka.send(Topics.SNAPSHOTS, missing, """
                {"runId": "%s", "step": 1, "epoch": 1, "time": "%s", "bucket": "%s", "signals": [
                 {"layer": "fc1", "layerIndex": 0, "quantity": "error-signal", "key": "%s", "rows": 4, "cols": 4,
                  "layout": "examples x features"}]}""".formatted(missing, Instant.now(), PipelineStack.BUCKET,
                ObjectKeys.snapshot(missing, 1, "fc1", "error-signal")));
        kafka.readUntil(Topics.SNAPSHOTS_DLQ, rs -> rs.stream().anyMatch(r -> missing.equals(r.key())),
                Duration.ofSeconds(30));

        // error bodies of every service
        List<String> bodies = new ArrayList<>();
        bodies.add(given().contentType(ContentType.JSON).body("{\"dataset\": \"nope\", \"epochs\": -1}")
                .post("/api/v1/runs").then().statusCode(400).extract().asString());
        bodies.add(given().contentType(ContentType.JSON).body("{oops").post("/api/v1/runs").then()
                .statusCode(400).extract().asString());
        bodies.add(given().get("/api/v1/runs/run-does-not-exist").then().statusCode(404).extract().asString());
        // a download link is signed with the secret, never carries it
        bodies.add(given().queryParam("key", ObjectKeys.snapshot(good, 2, "fc1", "error-signal"))
                .get("/api/v1/runs/" + good + "/downloads").then().statusCode(200).extract().asString());
        bodies.add(given().queryParam("key", "datasets/mnist/x").get("/api/v1/runs/" + good + "/downloads").then()
                .statusCode(400).extract().asString());
        bodies.add(given().baseUri(PipelineStack.analysisUrl()).get("/api/v1/analysis/run-does-not-exist").then()
                .statusCode(404).extract().asString());
        bodies.add(given().baseUri(PipelineStack.trainerUrl()).get("/api/v1/nothing-here").then().extract()
                .asString());
        assertThat(bodies).as("error bodies").allSatisfy(b -> assertThat(b).doesNotContain(secret));

        for (ServiceProcess service : services) {
            assertThat(service.logText()).as(service.name() + " log").isNotBlank().doesNotContain(secret);
            String metrics = given().baseUri(service.url()).get("/q/metrics").then().statusCode(200).extract()
                    .asString();
            assertThat(metrics).as(service.name() + " /q/metrics").isNotBlank().doesNotContain(secret);
            String health = given().baseUri(service.url()).get("/q/health").then().extract().asString();
            assertThat(health).as(service.name() + " /q/health").doesNotContain(secret);
            Path proc = Path.of("/proc", String.valueOf(service.pid()));
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            assertThat(cmdline).as(service.name() + " command line").contains("-jar").doesNotContain(secret);
            // it has the secret (the gateway too: it signs download links), where nobody else on the machine reads
            // it: its environment (mode 0400)
            assertThat(environ(proc)).as(service.name() + " environment")
                    .contains("FALAB_STORAGE_SECRET_KEY=" + secret);
        }

        List<String> seen = everyRecordAndHeader();
        assertThat(seen).as("records on every topic").hasSizeGreaterThan(10)
                .anySatisfy(r -> assertThat(r).contains(good))
                .anySatisfy(r -> assertThat(r).contains("dead-letter-reason"))
                .allSatisfy(r -> assertThat(r).doesNotContain(secret));
    }

    private static String environ(Path proc) throws IOException {
        return new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8).replace('\0', '\n');
    }

    /** Every record of every falab topic, from the start to the end, as "topic key value header=value...". */
    private static List<String> everyRecordAndHeader() {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PipelineStack.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : Topics.ALL) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    StringBuilder line = new StringBuilder(r.topic()).append(' ').append(r.key()).append(' ')
                            .append(r.value());
                    for (Header h : r.headers()) {
                        line.append(' ').append(h.key()).append('=')
                                .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
                    }
                    seen.add(line.toString());
                }
            }
            assertThat(partitions).as("read to the end").allMatch(p -> consumer.position(p) >= end.get(p));
        }
        return seen;
    }

    private static JsonPath awaitFinished(String id) {
        return GatewayRuns.awaitFinished(id, RUN_TIMEOUT);
    }

    private static JsonPath get(String id) {
        return GatewayRuns.get(id);
    }
}
