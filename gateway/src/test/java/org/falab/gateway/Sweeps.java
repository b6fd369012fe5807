package org.falab.gateway;

import static org.falab.gateway.Auth.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.hamcrest.Matchers;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Submits sweeps as a careful client does. */
public final class Sweeps {

    private Sweeps() {
    }

    /**
     * POSTs the sweep and answers its run ids. A 503 (the broker's first transaction slower than the gateway waits,
     * on a loaded machine) created nothing: it is tried again with the same Idempotency-Key, for up to 30 s.
     */
    public static List<String> submit(String body) {
        String key = UUID.randomUUID().toString();
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Response answer = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                    .when().post("/api/v1/sweeps");
            return answer.statusCode() == 503 ? null : answer.then().statusCode(Matchers.oneOf(200, 202))
                    .extract().<List<String>>path("runs.id");
        }, Objects::nonNull);
    }
}
