package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.falab.localstack.LocalAuthResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With no broker to talk to, POST answers 503 problem+json (a sweep too, leaving no run behind) and readiness is
 * DOWN (Kafka, and the replay that never caught up), within seconds, no hang.
 */
@QuarkusTest
@TestProfile(BrokerDownIT.NoBroker.class)
@WithTestResource(LocalAuthResource.class)
class BrokerDownIT {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // nothing listens on the discard port
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:9");
        }
    }

    @Test
    void postAnswers503WhenKafkaDoesNotAcknowledge() {
        given().contentType(ContentType.JSON).body("{\"dataset\": \"mnist\", \"method\": \"fa\"}")
                .when().post("/api/v1/runs")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://falab.org/problems/broker-unavailable"))
                .body("status", equalTo(503))
                .time(lessThan(15L), TimeUnit.SECONDS);

        given().get("/api/v1/runs").then().statusCode(200).body("state", not(hasItem("QUEUED")));
    }

    @Test
    void aSweepAnswers503AndLeavesNoRunBehind() {
        given().contentType(ContentType.JSON)
                .body("{\"base\": {\"dataset\": \"mnist\", \"method\": \"fa\"}, \"grid\": {\"seed\": [1, 2]}}")
                .when().post("/api/v1/sweeps")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://falab.org/problems/broker-unavailable"))
                .time(lessThan(15L), TimeUnit.SECONDS);
        given().get("/api/v1/sweeps").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void readinessIsDownWithinSeconds() {
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'replay' }.status", equalTo("DOWN"))
                .time(lessThan(15L), TimeUnit.SECONDS);
    }
}
