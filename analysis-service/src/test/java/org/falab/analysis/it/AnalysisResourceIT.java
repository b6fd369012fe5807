package org.falab.analysis.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

/** REST edges, health and OpenAPI; shares the application and the local stack with SnapshotPipelineIT. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class AnalysisResourceIT {

    @Test
    void unknownRunIsAProblemDetails404() {
        given().get("/api/v1/analysis/{runId}", "no-such-run").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Run not found"))
                .body("type", equalTo("https://falab.org/problems/run-not-found"))
                .body("detail", containsString("no-such-run"));
    }

    @Test
    void readinessReportsTheObjectStoreBucket() throws Exception {
        LocalStackClients.ensureBucket(LocalStackClients.minio(), "falab");
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", hasItem("object-store"))
                .body("checks.find { it.name == 'object-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'object-store' }.data.bucketExists", equalTo(true));
    }

    @Test
    void openApiDescribesTheEndpoint() {
        given().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/analysis/{runId}"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
