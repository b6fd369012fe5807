package org.falab.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.falab.contracts.auth.Claims;
import org.falab.localstack.LocalAuth;
import org.falab.localstack.LocalKafka;
import org.falab.localstack.LocalObjectStore;
import org.falab.localstack.TinyMnist;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.restassured.RestAssured;

/**
 * The whole platform for the end-to-end tests, started once per test JVM: a real Kafka broker and S3 server (in
 * this JVM), a small MNIST-format dataset in the bucket, and the packaged trainer, analysis and gateway services as
 * processes. REST Assured points at the gateway and sends a researcher's token ({@link Running#token()}) of the
 * stack's own key pair ({@link LocalAuth}, its public key given to the gateway). Everything stops when the JVM's tests are done. The pipeline
 * benchmark ({@code org.falab.e2e.bench.PipelineBench}) starts the same stack with {@link #start(Map)}.
 */
public final class PipelineStack implements BeforeAllCallback {

    public static final String BUCKET = "falab";
    static final String ACCESS_KEY = "falab-e2e";
    /** Distinctive, so that SecretsIT finds it wherever it leaks (logs, events, metrics, error bodies, ps). */
    static final String SECRET_KEY = "e2e-s3cr3t-" + java.util.UUID.randomUUID();

    private static Running running;

    /** The parts of a started stack; the tests' one is closed by JUnit at the end of the run (root store). */
    public record Running(LocalKafka kafka, LocalObjectStore s3, Path s3Dir, ServiceProcess trainer,
            ServiceProcess analysis, ServiceProcess gateway, LocalAuth auth)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        /** The user the tests submit as: a researcher of the default project. */
        public static final String USER = "e2e";

        /** A bearer token of {@link #USER} for this stack's gateway. */
        public String token() {
            return auth.token(USER, Claims.RESEARCHER);
        }

        /** What a gateway of this stack needs: the broker, the bucket (download links) and the tokens' key. */
        public Map<String, String> gatewaySettings() {
            return PipelineStack.gatewaySettings(auth, kafka, s3);
        }

        /** A client of the stack's bucket, as a user would have. */
        public MinioClient s3Client() {
            return MinioClient.builder().endpoint(s3.endpoint()).credentials(ACCESS_KEY, SECRET_KEY).build();
        }

        /**
         * Stops the trainer and starts a fresh one, logging to {@code target/pipeline-it/<name>.log}, with the test
         * settings and {@code trainerSettings} over them and more JVM options: the same broker, bucket and consumer
         * group, so the next request goes to the new trainer.
         */
        public Running withNewTrainer(String name, Map<String, String> trainerSettings, List<String> jvmOptions) {
            trainer.close();
            return new Running(kafka, s3, s3Dir, startTrainer(name, kafka, s3, trainerSettings, jvmOptions), analysis,
                    gateway, auth);
        }

        /**
         * Starts one more trainer besides the running ones (which go on), logging to
         * {@code target/pipeline-it/<name>.log}, with the test settings and {@code trainerSettings} over them: the
         * same broker, bucket and share group, so it takes the runs no other trainer holds. The caller closes it.
         */
        public ServiceProcess anotherTrainer(String name, Map<String, String> trainerSettings) {
            return startTrainer(name, kafka, s3, trainerSettings, List.of());
        }

        @Override
        public void close() {
            for (AutoCloseable part : new AutoCloseable[] {gateway, analysis, trainer, s3, kafka}) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // best effort: the JVM ends next
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (PipelineStack.class) {
            if (running == null) {
                running = start(Map.of());
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(PipelineStack.class, running);
            }
        }
        RestAssured.baseURI = running.gateway().url();
        RestAssured.port = -1;
        RestAssured.authentication = RestAssured.oauth2(running.token());
    }

    /**
     * Starts broker, S3 server (with the test dataset in the bucket) and the three services; {@code trainerSettings}
     * (system properties) go over the trainer's test settings. The caller closes it.
     */
    public static Running start(Map<String, String> trainerSettings) {
        return start("", trainerSettings);
    }

    /**
     * As {@link #start(Map)}, the services' logs named {@code <logPrefix>trainer.log}, {@code ...analysis.log} and
     * {@code ...gateway.log}, so that two stacks in one test JVM do not write the same files.
     */
    public static Running start(String logPrefix, Map<String, String> trainerSettings) {
        LocalKafka kafka = LocalKafka.start();
        Path dir;
        Path keys;
        try {
            dir = Files.createTempDirectory("falab-e2e-s3-");
            keys = Files.createTempDirectory("falab-e2e-keys-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalAuth auth = LocalAuth.start(keys);
        LocalObjectStore s3 = LocalObjectStore.start(dir, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        try {
            datasetInBucket(s3);
        } catch (Exception e) {
            throw new IllegalStateException("could not put the test dataset into the bucket", e);
        }
        ServiceProcess trainer = startTrainer(logPrefix + "trainer", kafka, s3, trainerSettings, List.of());
        // niceness as ./falab up gives it
        ServiceProcess analysis = ServiceProcess.start(logPrefix + "analysis", "analysis-service",
                storageSettings(kafka, s3), List.of(), 10);
        ServiceProcess gateway = ServiceProcess.start(logPrefix + "gateway", "gateway",
                gatewaySettings(auth, kafka, s3));
        return new Running(kafka, s3, dir, trainer, analysis, gateway, auth);
    }

    private static Map<String, String> gatewaySettings(LocalAuth auth, LocalKafka kafka, LocalObjectStore s3) {
        Map<String, String> settings = new HashMap<>(auth.config());
        settings.putAll(storageSettings(kafka, s3));
        return settings;
    }

    private static Map<String, String> storageSettings(LocalKafka kafka, LocalObjectStore s3) {
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "falab.storage.endpoint", s3.endpoint(),
                "falab.storage.access-key", ACCESS_KEY,
                "falab.storage.secret-key", SECRET_KEY);
    }

    private static ServiceProcess startTrainer(String name, LocalKafka kafka, LocalObjectStore s3,
            Map<String, String> settings, List<String> jvmOptions) {
        Map<String, String> trainerConfig = new HashMap<>(storageSettings(kafka, s3));
        trainerConfig.putAll(Map.of(
                "ai.djl.offline", "true",
                "ai.djl.pytorch.num_threads", "1",
                "ai.djl.pytorch.num_interop_threads", "1",
                "falab.datasets.local-dir", "/nonexistent",
                "falab.progress.every-steps", "1"));
        trainerConfig.putAll(settings);
        // a fixed heap touched at start, as ./falab up gives the trainer (2g, no growth over a run); less is not
        // enough for a ResNet-18 probe (CifarIT: weights, feedback and update of 11M parameters and their .npy
        // copies ran out of a 512m heap); the later -Xmx wins over ServiceProcess's default
        List<String> options = new java.util.ArrayList<>(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"));
        options.addAll(jvmOptions);
        return ServiceProcess.start(name, "trainer-service", trainerConfig, options);
    }

    /** The tests' stack (started by {@link #beforeAll}). */
    static Running running() {
        return running;
    }

    /** The settings of another gateway of the tests' stack. */
    static Map<String, String> gatewaySettings() {
        return running.gatewaySettings();
    }

    static String kafkaBootstrapServers() {
        return running.kafka().bootstrapServers();
    }

    static String trainerUrl() {
        return running.trainer().url();
    }

    static String analysisUrl() {
        return running.analysis().url();
    }

    static MinioClient s3() {
        return running.s3Client();
    }

    private static void datasetInBucket(LocalObjectStore store) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(store.endpoint()).credentials(ACCESS_KEY, SECRET_KEY).build();
        s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        for (var file : TinyMnist.dataset(200, 60).entrySet()) {
            byte[] bytes = file.getValue();
            s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object("datasets/mnist/" + file.getKey())
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
        }
    }
}
