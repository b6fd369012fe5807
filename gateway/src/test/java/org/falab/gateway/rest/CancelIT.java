package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.falab.contracts.events.EventContract;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.Trainer;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * POST /api/v1/runs/{id}/cancel and /api/v1/sweeps/{id}/cancel on the real broker: the RunCancellation on
 * falab.run-cancellations, the states the answer and the view show, idempotency, and the 4xx problems.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class CancelIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SPEC = "{\"dataset\": \"mnist\", \"method\": \"fa\"}";

    @Test
    void aQueuedRunIsCancelledAtOnceAndTheCancellationIsOnKafka() {
        String id = submit();
        given().when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("state", equalTo("CANCELLED"))
                .body("cancelRequestedAt", notNullValue())
                .body("spec.dataset", equalTo("mnist"));
        given().get("/api/v1/runs/" + id).then().body("state", equalTo("CANCELLED"));

        ConsumerRecord<String, String> record = KafkaTestClients.findByKey(Topics.RUN_CANCELLATIONS, id, WAIT)
                .orElseThrow(() -> new AssertionError("no RunCancellation for " + id));
        assertThat(EventContract.fromModule().violations("run-cancellation.schema.json", record.value())).isEmpty();
        RunCancellation cancellation = ContractJson.read(record.value(), RunCancellation.class);
        assertThat(cancellation.runId()).isEqualTo(id);
        assertThat(cancellation.reason()).isNotBlank();
        assertThat(cancellation.sweepId()).isNull();

        given().when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/not-cancellable"));
    }

    @Test
    void aRunningRunIsCancellingUntilItsTrainerSaysCancelledAndCancellingTwiceIsFine() {
        String id = submit();
        Trainer.says(id, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 100, "attempt", 1,
                "resumedFromStep", 0));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("RUNNING")));

        given().contentType(ContentType.JSON).body("{\"reason\": \"wrong learning rate\"}")
                .when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(202).body("state", equalTo("CANCELLING"));
        given().when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(202).body("state", equalTo("CANCELLING"));
        List<RunCancellation> published = cancellationsOf(id);
        assertThat(published).as("the second cancel publishes nothing").hasSize(1);
        assertThat(published.get(0).reason()).isEqualTo("wrong learning rate");

        Trainer.says(id, Map.of("type", "CANCELLED", "epoch", 0, "step", 12, "attempt", 1,
                "reason", "wrong learning rate"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("state", equalTo("CANCELLED"))
                .body("reason", equalTo("wrong learning rate"))
                .body("finishedAt", notNullValue()));
        given().when().post("/api/v1/runs/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void finishedRunsCannotBeCancelled() {
        for (String end : List.of("SUCCEEDED", "FAILED")) {
            String id = submit();
            Trainer.says(id, Map.of("type", end, "epoch", 1, "step", 10, "reason", "done"));
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                    .body("state", equalTo(end)));
            given().when().post("/api/v1/runs/" + id + "/cancel").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString(end));
        }
    }

    @Test
    void unknownAndMalformedIdsAndBadBodiesAre4xxProblems() {
        given().when().post("/api/v1/runs/run-000000000000/cancel").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/run-not-found"));
        given().when().post("/api/v1/runs/NOT_AN_ID/cancel").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        given().when().post("/api/v1/sweeps/sweep-000000000000/cancel").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/sweep-not-found"));
        String id = submit();
        given().contentType(ContentType.TEXT).body("please stop").when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"reason\": 5}").when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("reason"));
        given().contentType(ContentType.JSON).body("{\"why\": \"x\"}").when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(400).body("errors[0].field", equalTo("why"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"" + "x".repeat(1001) + "\"}")
                .when().post("/api/v1/runs/" + id + "/cancel")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().get("/api/v1/runs/" + id).then().body("state", equalTo("QUEUED"));
    }

    @Test
    void cancellingASweepCancelsEveryRunNotFinishedAndThen409() {
        ExtractableResponse<Response> sweep = given().contentType(ContentType.JSON)
                .body("{\"base\": {\"dataset\": \"mnist\", \"method\": \"bp\"}, \"grid\": {\"seed\": [1, 2, 3]}}")
                .when().post("/api/v1/sweeps").then().statusCode(202).extract();
        String sweepId = sweep.path("id");
        List<String> runs = sweep.path("runs.id");
        Trainer.says(runs.get(0), Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 10));
        Trainer.says(runs.get(1), Map.of("type", "SUCCEEDED", "epoch", 1, "step", 10, "testAccuracy", 0.9));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("runs.state", equalTo(List.of("RUNNING", "SUCCEEDED", "QUEUED"))));

        given().when().post("/api/v1/sweeps/" + sweepId + "/cancel")
                .then().statusCode(202)
                .body("id", equalTo(sweepId))
                .body("state", equalTo("RUNNING"))
                .body("runs.state", equalTo(List.of("CANCELLING", "SUCCEEDED", "CANCELLED")));
        assertThat(cancellationsOf(runs.get(0))).singleElement()
                .satisfies(c -> assertThat(c.sweepId()).isEqualTo(sweepId));
        assertThat(cancellationsOf(runs.get(1))).as("a finished run is left alone").isEmpty();
        // again while one is CANCELLING: fine, nothing new
        given().when().post("/api/v1/sweeps/" + sweepId + "/cancel").then().statusCode(202);
        assertThat(cancellationsOf(runs.get(2))).hasSize(1);

        Trainer.says(runs.get(0), Map.of("type", "CANCELLED", "epoch", 0, "step", 3));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("state", equalTo("DONE"))
                .body("runs.state", equalTo(List.of("CANCELLED", "SUCCEEDED", "CANCELLED"))));
        given().when().post("/api/v1/sweeps/" + sweepId + "/cancel").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/not-cancellable"));
    }

    @Test
    void theCancelEndpointsAreInTheOpenApiDocument() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/runs/{id}/cancel'.post.responses.'202'", notNullValue())
                .body("paths.'/api/v1/runs/{id}/cancel'.post.responses.'409'", notNullValue())
                .body("paths.'/api/v1/sweeps/{id}/cancel'.post.responses.'409'", notNullValue())
                .body("paths.'/api/v1/runs'.post.parameters.find { it.name == 'Idempotency-Key' }.in",
                        equalTo("header"))
                .body("paths.'/api/v1/runs'.post.responses.'422'", notNullValue());
    }

    private static String submit() {
        return given().contentType(ContentType.JSON).body(SPEC).when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    private static List<RunCancellation> cancellationsOf(String id) {
        return KafkaTestClients.readToEnd(Topics.RUN_CANCELLATIONS, WAIT).stream()
                .filter(r -> id.equals(r.key()))
                .map(r -> ContractJson.read(r.value(), RunCancellation.class)).toList();
    }
}
