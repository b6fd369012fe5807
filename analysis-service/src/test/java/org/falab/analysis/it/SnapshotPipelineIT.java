package org.falab.analysis.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.falab.analysis.it.LocalStackClients.await;
import static org.falab.analysis.it.LocalStackClients.produce;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.analysis.rank.NpyFiles;
import org.falab.contracts.events.Quantities;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.events.EventContract;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real KRaft broker and a real S3 server: .npy in the bucket, SnapshotRecorded on
 * falab.snapshots, AnalysisResult on falab.analysis-results, AlignmentResult on falab.alignment-results, the REST
 * view, and the dead-letter topic.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SnapshotPipelineIT {

    private static final EventContract CONTRACT = EventContract.fromModule();

    private static final String BUCKET = "falab";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MinioClient minio;
    private static JsonNode expected;

    @BeforeAll
    static void setUp() throws Exception {
        LocalStackClients.createTopics(Topics.SNAPSHOTS, Topics.ANALYSIS_RESULTS,
                Topics.ALIGNMENT_RESULTS, Topics.SNAPSHOTS_DLQ);
        minio = LocalStackClients.minio();
        LocalStackClients.ensureBucket(minio, BUCKET);
        expected = JSON.readTree(fixture("expected.json"));
    }

    @Test
    void analysesASnapshotPublishesItsRanksAndServesThem() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 100,
                signal(runId, 100, "fc1", 0, "random-256x64"),
                signal(runId, 100, "fc2", 1, "wide-zero-rows-12x40")));

        List<ConsumerRecord<String, String>> records = await(Topics.ANALYSIS_RESULTS,
                r -> runId.equals(r.key()), 2, WAIT);
        for (ConsumerRecord<String, String> r : records) {
            assertThat(CONTRACT.violations("analysis-result.schema.json", r.value())).as(r.value()).isEmpty();
        }
        List<AnalysisResult> results = records.stream().map(r -> ContractJson.read(r.value(), AnalysisResult.class))
                .sorted(java.util.Comparator.comparingInt(AnalysisResult::layerIndex)).toList();
        assertResult(results.get(0), runId, "fc1", 0, "random-256x64");
        assertResult(results.get(1), runId, "fc2", 1, "wide-zero-rows-12x40");
        assertThat(results.get(1).nearZeroRows()).isEqualTo(3);

        // a later step and then an earlier one: the REST view orders by step, then layerIndex
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 300, signal(runId, 300, "fc1", 0, "identity-16")));
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 200, signal(runId, 200, "fc1", 0, "rank1-64x16")));
        await(Topics.ANALYSIS_RESULTS, r -> runId.equals(r.key()), 4, WAIT);

        given().get("/api/v1/analysis/{runId}", runId).then()
                .statusCode(200)
                .contentType("application/json")
                .body("$", hasSize(4))
                .body("step", contains(100, 100, 200, 300))
                .body("layer", contains("fc1", "fc2", "fc1", "fc1"));
        double identityRank = given().get("/api/v1/analysis/{runId}", runId).then().extract()
                .jsonPath().getDouble("[3].effectiveRank");
        assertThat(identityRank).isCloseTo(16.0, within(1e-9));
    }

    /**
     * A snapshot with every quantity: fc1 has all six (δ_BP = -δ: 180°; B = 3W: 0°, ratio 3), fc2 has δ, δ_BP
     * orthogonal to it (90°) and W without B, fc3 only δ. Ranks are known in closed form.
     */
    @Test
    void analysesEveryQuantityAndPublishesAlignment() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        long step = 40;
        double[][] delta1 = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1},
                             {2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 2}};
        double[][] w1 = {{1, -2, 0.5}, {0, 3, 1}};
        double[][] delta2 = {{1, 0}, {1, 0}, {1, 0}};
        double[][] bp2 = {{0, 1}, {0, 1}, {0, 1}};
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, step,
                npySignal(runId, step, "fc1", 0, Quantities.ERROR_SIGNAL, delta1),
                npySignal(runId, step, "fc1", 0, Quantities.BP_ERROR_SIGNAL, scaled(delta1, -1)),
                npySignal(runId, step, "fc1", 0, Quantities.ACTIVITY, new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}}),
                npySignal(runId, step, "fc1", 0, Quantities.UPDATE, new double[][] {{1, 0, 0}, {0, 1, 0}}),
                npySignal(runId, step, "fc1", 0, Quantities.WEIGHT, w1),
                npySignal(runId, step, "fc1", 0, Quantities.FEEDBACK, scaled(w1, 3)),
                npySignal(runId, step, "fc2", 1, Quantities.ERROR_SIGNAL, delta2),
                npySignal(runId, step, "fc2", 1, Quantities.BP_ERROR_SIGNAL, bp2),
                npySignal(runId, step, "fc2", 1, Quantities.WEIGHT, new double[][] {{1, 2}}),
                npySignal(runId, step, "fc3", 2, Quantities.ERROR_SIGNAL, new double[][] {{0, 0}, {0, 0}})));

        List<ConsumerRecord<String, String>> alignments = await(Topics.ALIGNMENT_RESULTS,
                r -> runId.equals(r.key()), 2, WAIT);
        for (ConsumerRecord<String, String> r : alignments) {
            assertThat(CONTRACT.violations("alignment-result.schema.json", r.value())).as(r.value()).isEmpty();
            assertThat(EventContract.fromModule().violations("alignment-result.schema.json", r.value())).isEmpty();
        }
        List<ConsumerRecord<String, String>> ranks = await(Topics.ANALYSIS_RESULTS,
                r -> runId.equals(r.key()), 7, WAIT);
        for (ConsumerRecord<String, String> r : ranks) {
            assertThat(CONTRACT.violations("analysis-result.schema.json", r.value())).as(r.value()).isEmpty();
        }
        Map<String, Double> rankOf = ranks.stream().map(r -> ContractJson.read(r.value(), AnalysisResult.class))
                .collect(Collectors.toMap(r -> r.layer() + "." + r.quantity(), AnalysisResult::effectiveRank));
        assertThat(rankOf).containsOnlyKeys("fc1.error-signal", "fc1.bp-error-signal", "fc1.activity",
                "fc1.update", "fc2.error-signal", "fc2.bp-error-signal", "fc3.error-signal");
        assertThat(rankOf.get("fc1.error-signal")).isCloseTo(4.0, within(1e-9));
        assertThat(rankOf.get("fc1.bp-error-signal")).isCloseTo(4.0, within(1e-9));
        assertThat(rankOf.get("fc1.activity")).isCloseTo(2.0, within(1e-9));
        assertThat(rankOf.get("fc1.update")).isCloseTo(2.0, within(1e-9));
        assertThat(rankOf.get("fc2.error-signal")).isCloseTo(1.0, within(1e-9));
        assertThat(rankOf.get("fc3.error-signal")).isEqualTo(0.0);

        Map<String, AlignmentResult> byLayer = alignments.stream().map(r -> ContractJson.read(r.value(), AlignmentResult.class))
                .collect(Collectors.toMap(AlignmentResult::layer, a -> a));
        assertThat(byLayer).containsOnlyKeys("fc1", "fc2");
        AlignmentResult fc1 = byLayer.get("fc1");
        assertThat(fc1.step()).isEqualTo(step);
        assertThat(fc1.errorSignalAngleToBp()).isCloseTo(180.0, within(1e-9));
        assertThat(fc1.weightFeedbackAngle()).isCloseTo(0.0, within(1e-9));
        assertThat(fc1.feedbackToWeightNormRatio()).isCloseTo(3.0, within(1e-12));
        AlignmentResult fc2 = byLayer.get("fc2");
        assertThat(fc2.layerIndex()).isEqualTo(1);
        assertThat(fc2.errorSignalAngleToBp()).isCloseTo(90.0, within(1e-9));
        assertThat(fc2.weightFeedbackAngle()).isNull();
        assertThat(fc2.feedbackToWeightNormRatio()).isNull();
        assertThat(alignments).filteredOn(r -> r.value().contains("\"layer\":\"fc2\"")).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("\"weightFeedbackAngle\":null"));

        given().get("/api/v1/analysis/{runId}", runId).then()
                .statusCode(200)
                .body("$", hasSize(7))
                .body("layerIndex", contains(0, 0, 0, 0, 1, 1, 2));
        double servedAngle = given().get("/api/v1/analysis/{runId}/alignment", runId).then()
                .statusCode(200)
                .contentType("application/json")
                .body("$", hasSize(2))
                .body("layer", contains("fc1", "fc2"))
                .body("[1].weightFeedbackAngle", nullValue())
                .extract().jsonPath().getDouble("[1].errorSignalAngleToBp");
        assertThat(servedAngle).isCloseTo(90.0, within(1e-4));
        given().get("/api/v1/analysis/{runId}/alignment", "no-such-run").then().statusCode(404)
                .contentType("application/problem+json");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("falab_alignment_results_total(\\{[^}]*})? [2-9]");
    }

    /**
     * A duplicate snapshot event (a redelivery, a producer retry) is harmless: the same results again, equal in
     * everything but {@code time}, and still one result per signal in the REST view.
     */
    @Test
    void aDuplicateSnapshotYieldsTheSameResultsAgainAndOneEntryPerSignal() throws Exception {
        String runId = "run-dup-" + UUID.randomUUID();
        String event = snapshot(runId, 7, signal(runId, 7, "fc1", 0, "lowrank5-noise-100x20"),
                signal(runId, 7, "fc2", 1, "random-f32-64x32"));
        produce(Topics.SNAPSHOTS, runId, event);
        produce(Topics.SNAPSHOTS, runId, event);

        List<AnalysisResult> results = await(Topics.ANALYSIS_RESULTS, r -> runId.equals(r.key()), 4, WAIT).stream()
                .map(r -> ContractJson.read(r.value(), AnalysisResult.class)).toList();
        Map<Integer, List<AnalysisResult>> byLayer = results.stream()
                .collect(Collectors.groupingBy(AnalysisResult::layerIndex));
        assertThat(byLayer).containsOnlyKeys(0, 1);
        for (List<AnalysisResult> twice : byLayer.values()) {
            assertThat(twice).hasSize(2);
            assertThat(twice.get(1)).usingRecursiveComparison().ignoringFields("time").isEqualTo(twice.get(0));
        }
        given().get("/api/v1/analysis/{runId}", runId).then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("layerIndex", contains(0, 1));
    }

    /**
     * The trainer stores a matrix that did not change (a fixed B, the probe batch) once and names that object again
     * in later snapshots: each snapshot still gets the matrix's result, and the repeat is not read again (after the
     * object is gone, a later snapshot naming it is analysed from memory rather than dead-lettered).
     */
    @Test
    void aMatrixNamedAgainByLaterSnapshotsIsAnalysedForEachFromOneRead() throws Exception {
        String runId = "run-repeat-" + UUID.randomUUID();
        java.util.Random random = new java.util.Random(11);
        double[][] probeBatch = new double[24][6];
        for (double[] row : probeBatch) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextGaussian();
            }
        }
        String stored = npySignal(runId, 100, "fc1", 0, Quantities.ACTIVITY, probeBatch);
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 100, stored));
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 200, stored));
        await(Topics.ANALYSIS_RESULTS, r -> runId.equals(r.key()), 2, WAIT);

        minio.removeObject(io.minio.RemoveObjectArgs.builder().bucket(BUCKET)
                .object("runs/%s/snapshots/step-%08d/fc1.activity.npy".formatted(runId, 100)).build());
        produce(Topics.SNAPSHOTS, runId, snapshot(runId, 300, stored));
        List<AnalysisResult> results = await(Topics.ANALYSIS_RESULTS, r -> runId.equals(r.key()), 3, WAIT).stream()
                .map(r -> ContractJson.read(r.value(), AnalysisResult.class))
                .sorted(java.util.Comparator.comparingLong(AnalysisResult::step)).toList();
        assertThat(results).extracting(AnalysisResult::step).containsExactly(100L, 200L, 300L);
        assertThat(results.get(0).effectiveRank()).isGreaterThan(1);
        assertThat(results).extracting(AnalysisResult::effectiveRank).containsOnly(results.get(0).effectiveRank());
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
        String badKey = "bad-" + UUID.randomUUID();
        produce(Topics.SNAPSHOTS, badKey, "not json");
        String missingRun = "run-missing-" + UUID.randomUUID();
        produce(Topics.SNAPSHOTS, missingRun, snapshot(missingRun, 1, """
                {"layer": "fc1", "layerIndex": 0, "quantity": "error-signal", "key": "runs/%s/snapshots/step-00000001/fc1.error-signal.npy",
                 "rows": 4, "cols": 4, "layout": "examples x features"}""".formatted(missingRun)));
        String goodRun = "run-" + UUID.randomUUID();
        produce(Topics.SNAPSHOTS, goodRun, snapshot(goodRun, 5,
                signal(goodRun, 5, "fc1", 0, "lowrank5-noise-100x20")));

        ConsumerRecord<String, String> dead = await(Topics.SNAPSHOTS_DLQ, r -> badKey.equals(r.key()), 1, WAIT)
                .get(0);
        assertThat(dead.value()).isEqualTo("not json");
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertThat(reason).as("dead-letter-reason header").isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
        await(Topics.SNAPSHOTS_DLQ, r -> missingRun.equals(r.key()), 1, WAIT);

        ConsumerRecord<String, String> good = await(Topics.ANALYSIS_RESULTS, r -> goodRun.equals(r.key()), 1,
                WAIT).get(0);
        assertResult(ContractJson.read(good.value(), AnalysisResult.class), goodRun, "fc1", 0, "lowrank5-noise-100x20");
        // nothing of the missing-object snapshot was published or kept
        given().get("/api/v1/analysis/{runId}", missingRun).then().statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("falab_analyses_total\\{[^}]*outcome=\"invalid\"[^}]*} [1-9]")
                .containsPattern("falab_analyses_total\\{[^}]*outcome=\"success\"[^}]*} [1-9]")
                .containsPattern("falab_analysis_latency_seconds_count(\\{[^}]*})? [1-9]");
    }

    private static void assertResult(AnalysisResult result, String runId, String layer, int layerIndex,
                                     String fixture) {
        JsonNode want = expected.get(fixture);
        double numpyRank = want.get("effectiveRank").asDouble();
        assertThat(result.runId()).isEqualTo(runId);
        assertThat(result.layer()).isEqualTo(layer);
        assertThat(result.layerIndex()).isEqualTo(layerIndex);
        assertThat(result.quantity()).isEqualTo(Quantities.ERROR_SIGNAL);
        assertThat(result.rows()).isEqualTo(want.get("rows").asInt());
        assertThat(result.cols()).isEqualTo(want.get("cols").asInt());
        assertThat(result.singularValueCount()).isEqualTo(Math.min(result.rows(), result.cols()));
        assertThat(result.effectiveRank()).isCloseTo(numpyRank, within(1e-9 * numpyRank));
        assertThat(result.nearZeroRows()).isEqualTo(want.get("nearZeroRows").asInt());
    }

    /** Puts the fixture into the bucket and returns the signal JSON that points to it. */
    private static String signal(String runId, long step, String layer, int layerIndex, String fixture)
            throws Exception {
        String key = "runs/%s/snapshots/step-%08d/%s.error-signal.npy".formatted(runId, step, layer);
        try (InputStream in = fixture(fixture + ".npy")) {
            LocalStackClients.put(minio, BUCKET, key, in.readAllBytes());
        }
        JsonNode want = expected.get(fixture);
        return """
                {"layer": "%s", "layerIndex": %d, "quantity": "error-signal", "key": "%s", "rows": %d, "cols": %d,
                 "layout": "examples x features"}""".formatted(layer, layerIndex, key, want.get("rows").asInt(),
                want.get("cols").asInt());
    }

    /** Puts the matrix into the bucket as a float64 .npy and returns the signal JSON that points to it. */
    private static String npySignal(String runId, long step, String layer, int layerIndex, String quantity,
                                    double[][] matrix) throws Exception {
        String key = "runs/%s/snapshots/step-%08d/%s.%s.npy".formatted(runId, step, layer, quantity);
        LocalStackClients.put(minio, BUCKET, key, NpyFiles.f8(matrix));
        return """
                {"layer": "%s", "layerIndex": %d, "quantity": "%s", "key": "%s", "rows": %d, "cols": %d,
                 "layout": "examples x features"}""".formatted(layer, layerIndex, quantity, key, matrix.length,
                matrix[0].length);
    }

    private static double[][] scaled(double[][] m, double s) {
        double[][] out = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
            out[r] = java.util.Arrays.stream(m[r]).map(x -> x * s).toArray();
        }
        return out;
    }

    private static String snapshot(String runId, long step, String... signals) {
        return """
                {"runId": "%s", "step": %d, "epoch": 1, "time": "%s", "bucket": "%s", "signals": [%s]}"""
                .formatted(runId, step, Instant.now(), BUCKET, String.join(",", signals));
    }

    private static InputStream fixture(String file) throws IOException {
        InputStream in = SnapshotPipelineIT.class.getResourceAsStream("/rank-fixtures/" + file);
        if (in == null) {
            throw new IOException("missing test resource /rank-fixtures/" + file);
        }
        return in;
    }
}
