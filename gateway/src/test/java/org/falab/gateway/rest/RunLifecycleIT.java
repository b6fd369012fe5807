package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.falab.gateway.Trainer;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The run view of issue 9 through HTTP, from a trainer's records on the real broker: attempts and resumedFromStep,
 * heartbeats and STALLED (falab.view.stalled-after is 60 s: events dated two minutes ago are stale), and a
 * newer attempt taking over.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRunWhoseHeartbeatsStoppedIsStalledUntilANewAttemptTakesIt() {
        String id = submit();
        Instant twoMinutesAgo = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        Trainer.says(id, Map.of("type", "STARTED", "time", twoMinutesAgo.toString(), "epoch", 0, "step", 0,
                "totalSteps", 1000, "attempt", 1, "resumedFromStep", 0));
        Trainer.says(id, Map.of("type", "HEARTBEAT", "time", twoMinutesAgo.plusSeconds(5).toString(), "epoch", 0,
                "step", 420, "totalSteps", 1000, "attempt", 1));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("STALLED"))
                .body("stalledSince", equalTo(twoMinutesAgo.plusSeconds(5).toString()))
                .body("lastHeartbeatAt", equalTo(twoMinutesAgo.plusSeconds(5).toString()))
                .body("attempt", equalTo(1))
                .body("resumedFromStep", equalTo(0))
                .body("progress.step", equalTo(420)));

        // a second trainer takes the run from its checkpoint at step 400
        Trainer.says(id, Map.of("type", "STARTED", "epoch", 0, "step", 400, "totalSteps", 1000, "attempt", 2,
                "resumedFromStep", 400));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("RUNNING"))
                .body("stalledSince", nullValue())
                .body("attempt", equalTo(2))
                .body("resumedFromStep", equalTo(400))
                .body("progress.step", equalTo(400)));

        // the first trainer wakes up: its events no longer count
        Trainer.says(id, Map.of("type", "FAILED", "epoch", 0, "step", 430, "attempt", 1, "reason", "lost"));
        Trainer.says(id, Map.of("type", "HEARTBEAT", "epoch", 0, "step", 410, "totalSteps", 1000, "attempt", 2));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("progress.step", equalTo(410)));
        given().get("/api/v1/runs/" + id).then().body("state", equalTo("RUNNING")).body("reason", nullValue());
        given().get("/api/v1/runs").then().body("find { it.id == '" + id + "' }.state", equalTo("RUNNING"));
    }

    @Test
    void aHeartbeatBringsAStalledRunBack() {
        String id = submit();
        Trainer.says(id, Map.of("type", "STARTED", "time", Instant.now().minusSeconds(300).toString(), "epoch", 0,
                "step", 0, "totalSteps", 10));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("STALLED"))
                .body("attempt", equalTo(1)));
        given().when().post("/api/v1/runs/" + id + "/cancel").then().statusCode(202)
                .body("state", equalTo("CANCELLING"));
        Trainer.says(id, Map.of("type", "HEARTBEAT", "epoch", 0, "step", 5, "totalSteps", 10));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("CANCELLING"))
                .body("progress.step", equalTo(5)));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("state=\"STALLED\""));
    }

    private static String submit() {
        return given().contentType(ContentType.JSON).body("{\"dataset\": \"synthetic\", \"method\": \"bp\"}")
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
    }
}
