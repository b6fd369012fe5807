package org.falab.gateway.messaging;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.FreshReplay;
import org.falab.gateway.KafkaTestClients;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * A sweep is published all or nothing: its runs are written in one Kafka transaction, and the gateway's replay
 * reads read_committed, so the runs of a transaction that was aborted never show.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SweepTransactionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSweepsRunsAllAppearAndWereWrittenInOneTransaction() {
        ExtractableResponse<Response> accepted = given().contentType(ContentType.JSON)
                .body("{\"base\": {\"dataset\": \"mnist\", \"method\": \"fa\"}, \"variants\": [{\"method\": \"bp\"},"
                        + " {\"method\": \"fa\"}, {\"method\": \"dfa\"}], \"grid\": {\"seed\": [1, 2, 3, 4]}}")
                .when().post("/api/v1/sweeps").then().statusCode(202).extract();
        String sweepId = accepted.path("id");
        Set<String> ids = new HashSet<>(accepted.path("runs.id"));
        assertThat(ids).hasSize(12);

        List<ConsumerRecord<String, String>> committed = KafkaTestClients.readToEnd(Topics.RUN_REQUESTS, WAIT)
                .stream().filter(r -> ids.contains(r.key())).toList();
        assertThat(committed).hasSize(12).allSatisfy(r -> assertThat(
                ContractJson.read(r.value(), RunRequested.class).sweepId()).isEqualTo(sweepId));

        // a transaction ends with a commit marker: the offset after the sweep's last record holds no record
        long last = committed.stream().mapToLong(ConsumerRecord::offset).max().orElseThrow();
        TopicPartition partition = new TopicPartition(Topics.RUN_REQUESTS, committed.get(0).partition());
        try (KafkaConsumer<String, String> raw = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new StringDeserializer(),
                new StringDeserializer())) {
            raw.assign(List.of(partition));
            assertThat(raw.endOffsets(List.of(partition)).get(partition)).isGreaterThanOrEqualTo(last + 2);
            raw.seek(partition, last + 1);
            List<ConsumerRecord<String, String>> after = raw.poll(Duration.ofSeconds(2)).records(partition);
            assertThat(after).allSatisfy(r -> assertThat(r.offset()).isGreaterThan(last + 1));
        }
        given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200).body("runs.size()", equalTo(12));
    }

    @Test
    void theRunsOfAnAbortedTransactionNeverShow() throws Exception {
        String aborted = "sweep-aborted-" + UUID.randomUUID().toString().substring(0, 8);
        String committed = "sweep-committed-" + UUID.randomUUID().toString().substring(0, 8);
        RunSpec spec = org.falab.contracts.spec.RunSpecChecks.read("{\"dataset\": \"mnist\", \"method\": \"fa\"}",
                jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID()), new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            // as if a gateway died part-way through a sweep: its transaction is aborted
            producer.beginTransaction();
            send(producer, aborted, spec, 3);
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, committed, spec, 2);
            producer.commitTransaction();
        }

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sweeps/" + committed).then().statusCode(200)
                .body("runs.size()", equalTo(2)));
        // the committed sweep came after the aborted one on the same partition: the replay is past it
        given().get("/api/v1/sweeps/" + aborted).then().statusCode(404);
        assertThat(KafkaTestClients.readAll(Topics.RUN_REQUESTS, false,
                rs -> rs.stream().filter(r -> r.value().contains(aborted)).count() == 3, WAIT).stream()
                .filter(r -> r.value().contains(aborted))).as("the aborted records are on the log").hasSize(3);
        try (FreshReplay restarted = FreshReplay.start().awaitCaughtUp(WAIT)) {
            assertThat(restarted.registry().sweep(committed)).hasSize(2);
            assertThat(restarted.registry().sweep(aborted)).isEmpty();
        }
    }

    private static void send(KafkaProducer<String, String> producer, String sweepId, RunSpec spec, int runs) {
        for (int i = 0; i < runs; i++) {
            String id = "run-" + UUID.randomUUID().toString().substring(24);
            producer.send(new ProducerRecord<>(Topics.RUN_REQUESTS, id, ContractJson.write(new RunRequested(id, spec,
                    Instant.now(), sweepId, Map.of("seed", i)))));
        }
    }
}
