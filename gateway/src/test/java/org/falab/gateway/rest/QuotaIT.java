package org.falab.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.falab.contracts.auth.Claims;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The per-user quota of active runs (falab.quota.max-active-runs, 3 here) on the real stack: the fourth queued run
 * and a sweep whose cells do not fit answer 429 problem+json with Retry-After; another user is not affected; once a
 * run is cancelled the next submission goes through.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@TestProfile(QuotaIT.SmallQuota.class)
class QuotaIT {

    public static class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("falab.quota.max-active-runs", "3", "falab.quota.retry-after", "45s");
        }
    }

    private static final String RUN = "{\"dataset\": \"mnist\", \"method\": \"fa\"}";

    @Test
    void overTheQuotaIs429WithRetryAfterUntilARunEnds() {
        String quinn = LocalStackResource.auth().token("quinn", Claims.RESEARCHER);
        String other = LocalStackResource.auth().token("rita", Claims.RESEARCHER);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response accepted = post(quinn, "/api/v1/runs", RUN);
            assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
            ids.add(accepted.jsonPath().getString("id"));
        }

        Response refused = post(quinn, "/api/v1/runs", RUN);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(refused.header("Retry-After")).isEqualTo("45");
        assertThat(refused.jsonPath().getString("detail")).contains("3 queued or running", "quota of 3");
        // a sweep counts every cell
        Response sweep = post(quinn, "/api/v1/sweeps", "{\"base\": " + RUN + ", \"grid\": {\"seed\": [1, 2]}}");
        assertThat(sweep.statusCode()).as(sweep.asString()).isEqualTo(429);
        assertThat(sweep.header("Retry-After")).isEqualTo("45");
        // the quota is per user
        assertThat(post(other, "/api/v1/sweeps", "{\"base\": " + RUN + ", \"grid\": {\"seed\": [1, 2, 3]}}")
                .statusCode()).isEqualTo(202);
        assertThat(post(other, "/api/v1/runs", RUN).statusCode()).isEqualTo(429);

        // a queued run cancelled (no trainer here) is CANCELLED at once: back under the limit
        Response cancelled = RestAssured.given().auth().oauth2(quinn).post("/api/v1/runs/" + ids.get(0) + "/cancel");
        assertThat(cancelled.statusCode()).as(cancelled.asString()).isEqualTo(202);
        assertThat(cancelled.jsonPath().getString("state")).isEqualTo("CANCELLED");
        assertThat(post(quinn, "/api/v1/runs", RUN).statusCode()).isEqualTo(202);
        assertThat(post(quinn, "/api/v1/runs", RUN).statusCode()).isEqualTo(429);
    }

    private static Response post(String token, String path, String body) {
        return RestAssured.given().auth().oauth2(token).contentType("application/json").body(body).post(path);
    }
}
