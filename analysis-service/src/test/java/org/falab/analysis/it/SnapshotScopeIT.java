package org.falab.analysis.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.falab.analysis.it.LocalStackClients.await;
import static org.falab.analysis.it.LocalStackClients.produce;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.Topics;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed event bus on a real broker and S3 server: whoever can write to falab.snapshots cannot make the
 * analysis read anything but the run's own snapshots in the configured bucket. Every hostile event below names an
 * object that exists and is a valid .npy (another bucket, another run, a checkpoint, climbing out with "..",
 * an absolute or URL-encoded key), so only the scope check stands between it and a published result: each is
 * dead-lettered with its reason, nothing of it is published or served, and the consumer goes on with the next.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class SnapshotScopeIT {

    private static final String BUCKET = "falab";
    private static final String OTHER_BUCKET = "falab-private";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LAYER = "fc1";
    private static final String QUANTITY = "error-signal";

    private static MinioClient minio;
    private static byte[] npy;

    @BeforeAll
    static void setUp() throws Exception {
        LocalStackClients.createTopics(Topics.SNAPSHOTS, Topics.ANALYSIS_RESULTS, Topics.ALIGNMENT_RESULTS,
                Topics.SNAPSHOTS_DLQ);
        minio = LocalStackClients.minio();
        LocalStackClients.ensureBucket(minio, BUCKET);
        LocalStackClients.ensureBucket(minio, OTHER_BUCKET);
        try (InputStream in = SnapshotScopeIT.class.getResourceAsStream("/rank-fixtures/random-f32-64x32.npy")) {
            npy = in.readAllBytes();
        }
    }

    @Test
    void eventsNamingAnythingButTheRunsOwnSnapshotsAreDeadLetteredWithTheReason() throws Exception {
        String victim = "run-victim-" + UUID.randomUUID();
        String victimKey = ObjectKeys.snapshot(victim, 1, LAYER, QUANTITY);
        LocalStackClients.put(minio, BUCKET, victimKey, npy);
        LocalStackClients.put(minio, BUCKET, ObjectKeys.checkpoint(victim, 1), npy);

        // run id -> (event JSON, what the reason must say); each object named below exists and would analyse
        Map<String, String[]> hostile = new LinkedHashMap<>();
        String otherBucket = attacker();
        LocalStackClients.put(minio, OTHER_BUCKET, ObjectKeys.snapshot(otherBucket, 1, LAYER, QUANTITY), npy);
        hostile.put(otherBucket, new String[] {event(otherBucket, OTHER_BUCKET, LAYER,
                ObjectKeys.snapshot(otherBucket, 1, LAYER, QUANTITY)), "bucket"});
        String otherRun = attacker();
        hostile.put(otherRun, new String[] {event(otherRun, BUCKET, LAYER, victimKey), "signals[0]"});
        String checkpoint = attacker();
        hostile.put(checkpoint, new String[] {event(checkpoint, BUCKET, LAYER, ObjectKeys.checkpoint(victim, 1)),
                "signals[0]"});
        String climbing = attacker();
        String climbingLayer = "../../" + victim + "/snapshots/step-00000001/" + LAYER;
        hostile.put(climbing, new String[] {event(climbing, BUCKET, climbingLayer,
                ObjectKeys.snapshot(climbing, 1, climbingLayer, QUANTITY)), "layer"});
        String absolute = attacker();
        hostile.put(absolute, new String[] {event(absolute, BUCKET, LAYER, "/" + BUCKET + "/" + victimKey),
                "signals[0]"});
        String encoded = attacker();
        hostile.put(encoded, new String[] {event(encoded, BUCKET, LAYER,
                ObjectKeys.snapshot(encoded, 1, LAYER, QUANTITY).replace("/snapshots/", "/snapshots/%2e%2e/")),
                "signals[0]"});
        for (Map.Entry<String, String[]> e : hostile.entrySet()) {
            produce(Topics.SNAPSHOTS, e.getKey(), e.getValue()[0]);
        }
        // behind them, a run's own snapshot: the consumer went on
        String honest = "run-honest-" + UUID.randomUUID();
        LocalStackClients.put(minio, BUCKET, ObjectKeys.snapshot(honest, 1, LAYER, QUANTITY), npy);
        produce(Topics.SNAPSHOTS, honest, event(honest, BUCKET, LAYER, ObjectKeys.snapshot(honest, 1, LAYER, QUANTITY)));

        for (Map.Entry<String, String[]> e : hostile.entrySet()) {
            ConsumerRecord<String, String> dead = await(Topics.SNAPSHOTS_DLQ, r -> e.getKey().equals(r.key()), 1,
                    WAIT).get(0);
            assertThat(dead.value()).isEqualTo(e.getValue()[0]);
            String reason = new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
            assertThat(reason).as(e.getKey()).contains(e.getValue()[1]).contains("the analysis reads only");
        }
        await(Topics.ANALYSIS_RESULTS, r -> honest.equals(r.key()), 1, WAIT);
        given().get("/api/v1/analysis/{runId}", honest).then().statusCode(200);
        for (String runId : hostile.keySet()) {
            given().get("/api/v1/analysis/{runId}", runId).then().statusCode(404);
        }
        // and nothing was published for them: results are keyed by the event's run id
        assertThat(LocalStackClients.all(Topics.ANALYSIS_RESULTS)).extracting(ConsumerRecord::key)
                .doesNotContainAnyElementsOf(hostile.keySet());
    }

    private static String attacker() {
        return "run-attacker-" + UUID.randomUUID();
    }

    private static String event(String runId, String bucket, String layer, String key) {
        return """
                {"runId": "%s", "step": 1, "epoch": 1, "time": "%s", "bucket": "%s", "signals": [
                 {"layer": "%s", "layerIndex": 0, "quantity": "%s", "key": "%s", "rows": 64, "cols": 32,
                  "layout": "examples x features"}]}""".formatted(runId, Instant.now(), bucket, layer, QUANTITY, key);
    }
}
