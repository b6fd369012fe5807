package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Runs through the tests' gateway (REST Assured's base URI and token, set by {@link PipelineStack}): submit one, read
 * its view, wait for its end.
 */
final class GatewayRuns {

    private GatewayRuns() {
    }

    /** POST /api/v1/runs; the id of the accepted run. */
    static String submit(Map<String, Object> spec) {
        return given().contentType(ContentType.JSON).body(spec).post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    /** GET /api/v1/runs/{id}. */
    static JsonPath get(String id) {
        return given().get("/api/v1/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The run's view once it SUCCEEDED or FAILED, within {@code timeout}. */
    static JsonPath awaitFinished(String id, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> get(id), r -> Set.of("SUCCEEDED", "FAILED").contains(r.getString("state")));
    }
}
