package org.falab.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;

class LocalStackIT {

    @Test
    void brokerDeliversWhatWasProducedToAConsumerGroup() throws Exception {
        try (LocalKafka kafka = LocalKafka.start()) {
            String topic = "t-" + UUID.randomUUID();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "run-1", "{\"hello\":1}")).get();
            }
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                ConsumerRecord<String, String> received = null;
                long deadline = System.currentTimeMillis() + 30_000;
                while (received == null && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        received = r;
                    }
                }
                assertThat(received).isNotNull();
                assertThat(received.key()).isEqualTo("run-1");
                assertThat(received.value()).isEqualTo("{\"hello\":1}");
            }
        }
    }

    @Test
    void objectStoreKeepsObjectsAndChecksSignatures(@TempDir Path dir) throws Exception {
        try (LocalObjectStore store = LocalObjectStore.start(dir, "127.0.0.1", 0, "ak", "sk-secret-key")) {
            MinioClient client = MinioClient.builder().endpoint(store.endpoint()).credentials("ak", "sk-secret-key")
                    .build();
            client.makeBucket(MakeBucketArgs.builder().bucket("falab").build());
            assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("falab").build())).isTrue();
            byte[] body = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("falab").object("runs/r/x.bin")
                    .stream(new ByteArrayInputStream(body), (long) body.length, -1L).build());
            try (var in = client.getObject(GetObjectArgs.builder().bucket("falab").object("runs/r/x.bin").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            assertThat(dir.resolve("falab")).exists();

            MinioClient wrongSecret = MinioClient.builder().endpoint(store.endpoint()).credentials("ak", "wrong")
                    .build();
            try {
                wrongSecret.bucketExists(BucketExistsArgs.builder().bucket("falab").build());
                throw new AssertionError("a wrong secret must be refused");
            } catch (ErrorResponseException e) {
                assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch");
            }
        }
    }
}
