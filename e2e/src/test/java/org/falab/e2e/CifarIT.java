package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import io.minio.PutObjectArgs;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The CIFAR-10 path as a GPU user will take it, on the local stack: CIFAR-10 binary batches (the archive's format:
 * {@code data_batch_1..5.bin}, {@code test_batch.bin}, records of 1 label byte and 3x32x32 pixels) in the bucket
 * under {@code datasets/cifar10/}, a ResNet-20 and a ResNet-18 FA run with augmentation on, 2 steps of batch 4,
 * probed at step 0 and at the last step: each SUCCEEDS and every probed layer's error signal gets its effective rank
 * from the analysis service. Only the data differs from the real thing (random pixels, 2 records per batch file).
 */
@ExtendWith(PipelineStack.class)
class CifarIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final int RECORD = 1 + 3 * 32 * 32;

    @BeforeAll
    static void cifarInTheBucket() throws Exception {
        Random random = new Random(10);
        for (int b = 1; b <= 5; b++) {
            put("data_batch_" + b + ".bin", records(2, random));
        }
        put("test_batch.bin", records(4, random));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet18"})
    void aResNetOnCifar10BinaryBatchesSucceedsWithProbesAndRanks(String model) {
        String id = given().contentType(ContentType.JSON).body(Map.ofEntries(Map.entry("dataset", "cifar10"),
                        Map.entry("model", model), Map.entry("method", "fa"), Map.entry("augment", true),
                        Map.entry("epochs", 1), Map.entry("batchSize", 4), Map.entry("learningRate", 0.01),
                        Map.entry("trainSubset", 8), Map.entry("testSubset", 4), Map.entry("probeEvery", 100),
                        Map.entry("probeSize", 4), Map.entry("probeAtStart", true), Map.entry("seed", 3)))
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");

        JsonPath run = await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> get(id), r -> Set.of("SUCCEEDED", "FAILED").contains(r.getString("state")));
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("SUCCEEDED");
        assertThat(run.getLong("progress.step")).isEqualTo(2);
        // snapshots at step 0 (untrained) and step 2 (the last); the layers probed at the last step
        List<String> keys = run.getList("snapshots.keys.flatten()");
        Set<String> layers = new TreeSet<>();
        for (String key : keys) {
            if (key.contains("/step-00000002/") && key.endsWith(".error-signal.npy")) {
                layers.add(key.substring(key.lastIndexOf('/') + 1, key.length() - ".error-signal.npy".length()));
            }
        }
        assertThat(keys).anyMatch(k -> k.contains("/step-00000000/"));
        assertThat(layers).as("every conv of the ResNet and its head").hasSizeGreaterThanOrEqualTo(17);

        JsonPath analysed = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> get(id), r -> errorSignalLayers(r, 0).size() == layers.size()
                        && errorSignalLayers(r, 2).equals(layers));
        for (Map<?, ?> result : analysed.getList("analysis", Map.class)) {
            double rank = ((Number) result.get("effectiveRank")).doubleValue();
            int max = ((Number) result.get("singularValueCount")).intValue();
            assertThat(rank).as(result.toString()).isGreaterThanOrEqualTo(1.0).isLessThanOrEqualTo(max);
        }
    }

    private static Set<String> errorSignalLayers(JsonPath run, long step) {
        Set<String> layers = new TreeSet<>();
        for (Map<?, ?> result : run.getList("analysis", Map.class)) {
            if ("error-signal".equals(result.get("quantity")) && ((Number) result.get("step")).longValue() == step) {
                layers.add((String) result.get("layer"));
            }
        }
        return layers;
    }

    private static byte[] records(int n, Random random) {
        byte[] bytes = new byte[n * RECORD];
        random.nextBytes(bytes);
        for (int r = 0; r < n; r++) {
            bytes[r * RECORD] = (byte) random.nextInt(10); // the label byte: a class of 0-9
        }
        return bytes;
    }

    private static void put(String file, byte[] bytes) throws Exception {
        PipelineStack.s3().putObject(PutObjectArgs.builder().bucket(PipelineStack.BUCKET)
                .object("datasets/cifar10/" + file).stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                .build());
    }

    private static JsonPath get(String id) {
        return GatewayRuns.get(id);
    }
}
