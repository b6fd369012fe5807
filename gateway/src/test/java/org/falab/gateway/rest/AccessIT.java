package org.falab.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.falab.contracts.auth.Claims;
import org.falab.localstack.LocalAuth;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may do what, on the real stack: every endpoint x role x owner, as one table. Ada and Bob are researchers of
 * project vision, Vic a viewer of it, Ian a researcher of project audio, Oscar a viewer of audio, Root an admin;
 * Ada owns the runs and the sweep. Another project's id answers 404 (as an unknown id), a viewer's write 403, a
 * researcher's cancel of someone else's run 404, no token 401; the open endpoints need none.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class AccessIT {

    private static final String VISION = "vision";
    private static final String AUDIO = "audio";
    private static final String RUN = "{\"project\": \"vision\", \"dataset\": \"mnist\", \"method\": \"fa\"}";
    private static final String SWEEP = "{\"project\": \"vision\", \"base\": {\"dataset\": \"mnist\", \"method\": "
            + "\"fa\"}, \"grid\": {\"seed\": [1, 2]}}";

    /** One request of the table: who sends it, what, and the status they must get. */
    record Row(String who, String method, String path, String body, int status) {
    }

    @Test
    void everyEndpointByRoleAndOwner() {
        LocalAuth auth = LocalStackResource.auth();
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("ada", auth.token("ada", List.of(Claims.RESEARCHER), List.of(VISION)));
        tokens.put("bob", auth.token("bob", List.of(Claims.RESEARCHER), List.of(VISION)));
        tokens.put("vic", auth.token("vic", List.of(Claims.VIEWER), List.of(VISION)));
        tokens.put("ian", auth.token("ian", List.of(Claims.RESEARCHER), List.of(AUDIO)));
        tokens.put("oscar", auth.token("oscar", List.of(Claims.VIEWER), List.of(AUDIO)));
        tokens.put("root", auth.token("root", List.of(Claims.ADMIN), List.of()));
        tokens.put("none", null);
        tokens.put("expired", auth.expired("ada", Claims.RESEARCHER));

        String run = id(send(tokens.get("ada"), "POST", "/api/v1/runs", RUN), 202);
        String rootsCancel = id(send(tokens.get("ada"), "POST", "/api/v1/runs", RUN), 202);
        String sweep = id(send(tokens.get("ada"), "POST", "/api/v1/sweeps", SWEEP), 202);

        List<Row> table = new ArrayList<>();
        // submit: researchers and admins into their projects; viewers never; a project not theirs is 403
        for (String path : List.of("/api/v1/runs", "/api/v1/sweeps")) {
            String body = path.endsWith("runs") ? RUN : SWEEP;
            table.add(new Row("bob", "POST", path, body, 202));
            table.add(new Row("root", "POST", path, body, 202));
            table.add(new Row("vic", "POST", path, body, 403));
            table.add(new Row("oscar", "POST", path, body, 403));
            table.add(new Row("ian", "POST", path, body, 403));
            table.add(new Row("ian", "POST", path, body.replace(VISION, AUDIO), 202));
            table.add(new Row("none", "POST", path, body, 401));
            table.add(new Row("expired", "POST", path, body, 401));
        }
        // reads: everyone of the project and admins; another project's id is unknown
        for (String path : List.of("/api/v1/runs/" + run, "/api/v1/runs/" + run + "/analysis",
                "/api/v1/sweeps/" + sweep)) {
            for (String who : List.of("ada", "bob", "vic", "root")) {
                table.add(new Row(who, "GET", path, null, 200));
            }
            table.add(new Row("ian", "GET", path, null, 404));
            table.add(new Row("oscar", "GET", path, null, 404));
            table.add(new Row("none", "GET", path, null, 401));
            table.add(new Row("expired", "GET", path, null, 401));
        }
        for (String path : List.of("/api/v1/runs", "/api/v1/sweeps")) {
            for (String who : List.of("ada", "bob", "vic", "ian", "oscar", "root")) {
                table.add(new Row(who, "GET", path, null, 200));
            }
            table.add(new Row("none", "GET", path, null, 401));
        }
        // cancels: viewers 403 (their role, whatever the id), someone else's 404, the owner and admins 202
        for (String path : List.of("/api/v1/runs/" + run + "/cancel", "/api/v1/sweeps/" + sweep + "/cancel")) {
            table.add(new Row("vic", "POST", path, null, 403));
            table.add(new Row("oscar", "POST", path, null, 403));
            table.add(new Row("bob", "POST", path, null, 404));
            table.add(new Row("ian", "POST", path, null, 404));
            table.add(new Row("none", "POST", path, null, 401));
            table.add(new Row("expired", "POST", path, null, 401));
            table.add(new Row("ada", "POST", path, null, 202));
        }
        table.add(new Row("root", "POST", "/api/v1/runs/" + rootsCancel + "/cancel", null, 202));
        // open to anyone: health, metrics, the OpenAPI document; Swagger UI needs a token
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            table.add(new Row("none", "GET", path, null, 200));
        }
        table.add(new Row("none", "GET", "/q/swagger-ui/", null, 401));
        table.add(new Row("vic", "GET", "/q/swagger-ui/", null, 200));

        List<String> failures = new ArrayList<>();
        for (Row row : table) {
            Response answer = send(tokens.get(row.who()), row.method(), row.path(), row.body());
            String where = row.who() + " " + row.method() + " " + row.path() + ": ";
            if (answer.statusCode() != row.status()) {
                failures.add(where + answer.statusCode() + " instead of " + row.status() + " "
                        + answer.asString().substring(0, Math.min(200, answer.asString().length())));
            } else if (row.status() >= 400 && row.path().startsWith("/api/")
                    && !answer.contentType().startsWith(Problem.MEDIA_TYPE)) {
                failures.add(where + "not a problem: " + answer.contentType());
            }
        }
        System.out.printf("access table: %d requests%n", table.size());
        assertThat(failures).as("requests answered otherwise than the table says").isEmpty();
    }

    @Test
    void listsShowOnlyTheCallersProjectsAndRunsCarryOwnerAndProject() {
        LocalAuth auth = LocalStackResource.auth();
        String ada = auth.token("ada", List.of(Claims.RESEARCHER), List.of(VISION));
        String oscar = auth.token("oscar", List.of(Claims.VIEWER), List.of(AUDIO));
        String root = auth.token("root", List.of(Claims.ADMIN), List.of());
        String run = id(send(ada, "POST", "/api/v1/runs", RUN), 202);
        String sweep = id(send(ada, "POST", "/api/v1/sweeps", SWEEP), 202);

        JsonPath mine = send(ada, "GET", "/api/v1/runs/" + run, null).jsonPath();
        assertThat(mine.getString("owner")).isEqualTo("ada");
        assertThat(mine.getString("project")).isEqualTo(VISION);
        JsonPath sweepView = send(ada, "GET", "/api/v1/sweeps/" + sweep, null).jsonPath();
        assertThat(sweepView.getString("owner")).isEqualTo("ada");
        assertThat(sweepView.getString("project")).isEqualTo(VISION);

        List<String> adaSees = send(ada, "GET", "/api/v1/runs?limit=10000", null).jsonPath().getList("project");
        assertThat(adaSees).isNotEmpty().containsOnly(VISION);
        assertThat(send(ada, "GET", "/api/v1/runs?limit=10000", null).jsonPath().getList("id", String.class))
                .contains(run);
        List<String> oscarSees = send(oscar, "GET", "/api/v1/runs?limit=10000", null).jsonPath().getList("project");
        assertThat(oscarSees).doesNotContain(VISION);
        assertThat(send(oscar, "GET", "/api/v1/sweeps", null).jsonPath().getList("id", String.class))
                .doesNotContain(sweep);
        assertThat(send(ada, "GET", "/api/v1/sweeps", null).jsonPath().getList("id", String.class)).contains(sweep);
        assertThat(send(root, "GET", "/api/v1/runs?limit=10000", null).jsonPath().getList("id", String.class))
                .contains(run);
    }

    private static Response send(String token, String method, String path, String body) {
        RequestSpecification request = RestAssured.given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.request(method, path);
    }

    private static String id(Response answer, int status) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(status);
        return answer.jsonPath().getString("id");
    }
}
