package org.falab.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: a real Kafka broker with the falab topics ({@link LocalTopics}) and a real S3 server for the
 * application under test.
 * Use it as {@code @WithTestResource(LocalStackResource.class)}; test classes with the same resources share one
 * application and one broker. Hands the application {@code kafka.bootstrap.servers} and {@code falab.storage.*}.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "falab-test";
    public static final String SECRET_KEY = "falab-test-secret";

    private static volatile LocalKafka kafka;
    private static volatile LocalObjectStore objectStore;
    private static volatile LocalAuth auth;
    private Path dataDir;
    private Path keyDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("falab-s3-");
            keyDir = Files.createTempDirectory("falab-keys-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = LocalKafka.start();
        // the topics with their settings up front, as ./falab up has them (compacted run cancellations, ...)
        LocalTopics.ensure(kafka.bootstrapServers());
        objectStore = LocalObjectStore.start(dataDir, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        auth = LocalAuth.start(keyDir);
        Map<String, String> config = new HashMap<>(auth.config());
        config.putAll(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "falab.storage.endpoint", objectStore.endpoint(),
                "falab.storage.access-key", ACCESS_KEY,
                "falab.storage.secret-key", SECRET_KEY));
        return config;
    }

    @Override
    public void stop() {
        if (objectStore != null) {
            objectStore.close();
            objectStore = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        auth = null;
        TempFolders.deleteQuietly(dataDir);
        TempFolders.deleteQuietly(keyDir);
    }

    /** For the test's own producers, consumers and admin clients. */
    public static String kafkaBootstrapServers() {
        return requireStarted(kafka).bootstrapServers();
    }

    /** For the test's own MinIO client. */
    public static String objectStoreEndpoint() {
        return requireStarted(objectStore).endpoint();
    }

    /** The tokens the application under test accepts (and bad ones). */
    public static LocalAuth auth() {
        return requireStarted(auth);
    }

    private static <T> T requireStarted(T part) {
        if (part == null) {
            throw new IllegalStateException("LocalStackResource is not started: annotate the test with "
                    + "@WithTestResource(LocalStackResource.class)");
        }
        return part;
    }
}
