package org.falab.analysis.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.falab.localstack.LocalStackResource;

/** The test's own plain clients of the real broker and the real S3 server that LocalStackResource started. */
final class LocalStackClients {

    private LocalStackClients() {
    }

    static void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalStackResource.kafkaBootstrapServers()))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static MinioClient minio() {
        return MinioClient.builder().endpoint(LocalStackResource.objectStoreEndpoint())
                .credentials(LocalStackResource.ACCESS_KEY, LocalStackResource.SECRET_KEY).build();
    }

    static void ensureBucket(MinioClient minio, String bucket) throws Exception {
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    static void put(MinioClient minio, String bucket, String key, byte[] data) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(data, data.length).build());
    }

    static void produce(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** A consumer of a group of its own that reads from the beginning. */
    private static KafkaConsumer<String, String> fromTheBeginning() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads {@code topic} from the beginning until {@code count} records match, or fails after {@code timeout}. */
    static List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                      int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(r)) {
                        found.add(r);
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout
                    + ", got " + found.size() + ": " + found);
        }
        return found;
    }

    /** Every record on {@code topic} now (read until a poll comes back empty). */
    static List<ConsumerRecord<String, String>> all(String topic) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int empty = 0;
            while (empty < 3 && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() && !consumer.assignment().isEmpty() ? empty + 1 : 0;
                records.forEach(found::add);
            }
        }
        return found;
    }
}
