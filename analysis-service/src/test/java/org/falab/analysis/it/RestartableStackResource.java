package org.falab.analysis.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import org.falab.localstack.LocalKafka;
import org.falab.localstack.LocalObjectStore;

/**
 * A real broker and a real S3 server, like LocalStackResource, except that the test can stop the S3 server and
 * start it again on the same port and folder: from the service's side the store goes away (connections refused)
 * and comes back with its objects, as a restarted MinIO does.
 */
public class RestartableStackResource implements QuarkusTestResourceLifecycleManager {

    static final String ACCESS_KEY = "falab-outage";
    static final String SECRET_KEY = "falab-outage-secret";
    private static final String HOST = "127.0.0.1";

    private static volatile LocalKafka kafka;
    private static volatile LocalObjectStore store;
    private static volatile Path dataDir;
    private static volatile int port;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("falab-outage-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = LocalKafka.start();
        store = LocalObjectStore.start(dataDir, HOST, 0, ACCESS_KEY, SECRET_KEY);
        port = Integer.parseInt(store.endpoint().substring(store.endpoint().lastIndexOf(':') + 1));
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "falab.storage.endpoint", store.endpoint(),
                "falab.storage.access-key", ACCESS_KEY,
                "falab.storage.secret-key", SECRET_KEY);
    }

    @Override
    public void stop() {
        stopObjectStore();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp folder is harmless
            }
        }
    }

    static String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    static String objectStoreEndpoint() {
        return "http://" + HOST + ":" + port;
    }

    /** The S3 server goes away: its port refuses connections until {@link #startObjectStore()}. */
    static synchronized void stopObjectStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** The S3 server again, on the same port and folder. */
    static synchronized void startObjectStore() {
        if (store == null) {
            store = LocalObjectStore.start(dataDir, HOST, port, ACCESS_KEY, SECRET_KEY);
        }
    }
}
