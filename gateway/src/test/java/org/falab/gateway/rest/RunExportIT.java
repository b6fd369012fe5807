package org.falab.gateway.rest;

import static org.falab.gateway.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.testing.Tools;
import org.falab.gateway.KafkaTestClients;
import org.falab.gateway.Sweeps;
import org.falab.gateway.Trainer;
import org.falab.localstack.LocalStackResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The exports (metrics.csv, analysis.csv, a sweep's table as CSV and JSON) read back by Python's csv module, as
 * pandas would read them; the live endpoint's first event; the run table's paging and its bad parameters.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RunExportIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A layer name that needs RFC 4180 quoting: a comma and a quote. */
    private static final String ODD_LAYER = "block \"a\", 1";

    @TestHTTPResource("/")
    URL base;

    @Test
    void metricsAndAnalysisCsvAreReadByPythonsCsvModule() throws Exception {
        String id = submit("{\"dataset\": \"mnist\", \"method\": \"fa\"}");
        Trainer.says(id, Map.of("type", "STARTED", "epoch", 0, "step", 0, "totalSteps", 30));
        Trainer.says(id, Map.of("type", "PROGRESS", "epoch", 0, "step", 10, "totalSteps", 30, "trainLoss", 1.25));
        Trainer.says(id, Map.of("type", "PROGRESS", "epoch", 1, "step", 20, "totalSteps", 30, "trainLoss", 0.5));
        Trainer.says(id, Map.of("type", "EPOCH_COMPLETED", "epoch", 1, "step", 20, "totalSteps", 30,
                "testAccuracy", 0.75));
        analysis(id, 20, ODD_LAYER, 0, "error-signal", 3.5);
        analysis(id, 20, "fc2", 1, "update", 7.25);
        KafkaTestClients.produce(Topics.ALIGNMENT_RESULTS, id, ContractJson.write(Map.of("runId", id, "step", 20,
                "epoch", 1, "layer", "fc2", "layerIndex", 1, "errorSignalAngleToBp", 61.5,
                "weightFeedbackAngle", 88.0, "feedbackToWeightNormRatio", 1.5, "time", Instant.now().toString())));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id).then()
                .body("analysis.size()", equalTo(2)).body("alignment.size()", equalTo(1))
                .body("metrics.testAccuracy", equalTo(0.75f)));

        String metrics = given().get("/api/v1/runs/" + id + "/metrics.csv").then().statusCode(200)
                .contentType("text/csv").header("Content-Disposition", org.hamcrest.Matchers.containsString(".csv"))
                .extract().asString();
        JsonNode rows = readWithPython(metrics);
        assertThat(rows.size()).isEqualTo(2);
        assertThat(fieldNames(rows.get(0))).containsExactly("step", "epoch", "train_loss", "test_accuracy", "time");
        assertThat(rows.get(0).path("step").asText()).isEqualTo("10");
        assertThat(rows.get(0).path("train_loss").asText()).isEqualTo("1.25");
        assertThat(rows.get(0).path("test_accuracy").asText()).as("no accuracy at step 10: an empty field").isEmpty();
        assertThat(rows.get(1).path("train_loss").asText()).isEqualTo("0.5");
        assertThat(rows.get(1).path("test_accuracy").asText()).as("loss and accuracy of step 20 merged").isEqualTo("0.75");
        given().get("/api/v1/runs/" + id + "/metrics").then().statusCode(200)
                .body("size()", equalTo(2)).body("[1].testAccuracy", equalTo(0.75f));

        JsonNode analysis = readWithPython(given().get("/api/v1/runs/" + id + "/analysis.csv").then()
                .statusCode(200).extract().asString());
        assertThat(analysis.size()).isEqualTo(3);
        assertThat(analysis.get(0).path("layer").asText()).as("quoted and read back whole").isEqualTo(ODD_LAYER);
        assertThat(analysis.get(0).path("effective_rank").asText()).isEqualTo("3.5");
        assertThat(analysis.get(1).path("quantity").asText()).isEqualTo("update");
        assertThat(analysis.get(2).path("quantity").asText()).isEqualTo("alignment");
        assertThat(analysis.get(2).path("error_signal_angle_to_bp").asText()).isEqualTo("61.5");
        assertThat(analysis.get(2).path("effective_rank").asText()).isEmpty();

        given().get("/api/v1/runs/run-000000000000/metrics.csv").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aSweepsTableAsCsvAndJsonHasOneRowPerCellWithMeanAndSpread() throws Exception {
        List<String> runIds = Sweeps.submit("{\"base\": {\"dataset\": \"mnist\", \"method\": \"fa\", \"epochs\": 1},"
                + " \"variants\": [{\"norm\": \"none\"}, {\"norm\": \"batch\"}],"
                + " \"grid\": {\"seed\": [1, 2]}}");
        String sweepId = given().get("/api/v1/runs/" + runIds.get(0)).path("sweepId");
        double[] accuracy = {0.8, 0.9, 0.6, 0.7};
        for (int i = 0; i < 4; i++) {
            Trainer.says(runIds.get(i), Map.of("type", "SUCCEEDED", "epoch", 1, "step", 10, "totalSteps", 10,
                    "testAccuracy", accuracy[i]));
            analysis(runIds.get(i), 10, "fc1", 0, "error-signal", 10.0 + 2 * i);
        }
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("state", equalTo("DONE")).body("groups[1].effectiveRank.fc1.n", equalTo(2)));

        JsonNode rows = readWithPython(given().get("/api/v1/sweeps/" + sweepId + "/table.csv").then()
                .statusCode(200).contentType("text/csv").extract().asString());
        assertThat(rows.size()).isEqualTo(2);
        assertThat(fieldNames(rows.get(0))).contains("norm", "runs", "finished", "test_accuracy_mean",
                "test_accuracy_std", "error_signal_rank_fc1_mean", "error_signal_rank_fc1_std");
        assertThat(rows.get(0).path("norm").asText()).isEqualTo("none");
        assertThat(Double.parseDouble(rows.get(0).path("test_accuracy_mean").asText())).isCloseTo(0.85,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Double.parseDouble(rows.get(1).path("error_signal_rank_fc1_mean").asText())).isEqualTo(15.0);
        assertThat(Double.parseDouble(rows.get(1).path("error_signal_rank_fc1_std").asText()))
                .isCloseTo(Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-9));

        given().get("/api/v1/sweeps/" + sweepId + "/table.json").then().statusCode(200)
                .body("columns", hasItem("test_accuracy_mean"))
                .body("rows.size()", equalTo(2))
                .body("rows[1].norm", equalTo("batch"))
                .body("rows[1].finished", equalTo(2));
    }

    @Test
    void theLiveEndpointStartsWithTheWholeRun() throws Exception {
        String id = submit("{\"dataset\": \"mnist\", \"method\": \"bp\"}");
        Trainer.says(id, Map.of("type", "PROGRESS", "epoch", 0, "step", 5, "totalSteps", 50, "trainLoss", 2.0));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/runs/" + id + "/metrics").then()
                .body("size()", equalTo(1)));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder events = HttpRequest.newBuilder(URI.create(base + "api/v1/runs/" + id + "/events"))
                .header("Accept", "text/event-stream");
        assertThat(client.send(events.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("no token, no stream").isEqualTo(401);
        HttpResponse<java.io.InputStream> response = client.send(
                events.header("Authorization", "Bearer " + org.falab.gateway.Auth.token()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonNode first = JSON.readTree(nextData(lines));
            assertThat(first.path("run").path("id").asText()).isEqualTo(id);
            assertThat(first.path("run").path("state").asText()).isEqualTo("RUNNING");
            assertThat(first.path("metrics").get(0).path("trainLoss").asDouble()).isEqualTo(2.0);
            Trainer.says(id, Map.of("type", "PROGRESS", "epoch", 0, "step", 10, "totalSteps", 50, "trainLoss", 1.5));
            JsonNode next = JSON.readTree(nextData(lines));
            assertThat(next.path("metrics").size()).as("the new point came as an event").isEqualTo(2);
        }
        given().get("/api/v1/runs/run-000000000000/events").then().statusCode(404);
    }

    @Test
    void theRunTablePagesAndNamesABadParameter() {
        submit("{\"dataset\": \"mnist\", \"method\": \"dfa\"}");
        submit("{\"dataset\": \"mnist\", \"method\": \"dfa\"}");
        int total = Integer.parseInt(given().get("/api/v1/runs?method=dfa&limit=1").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].method", equalTo("dfa")).extract().header("X-Total-Count"));
        assertThat(total).isGreaterThanOrEqualTo(2);
        given().get("/api/v1/runs?method=dfa&limit=1&offset=" + total).then().statusCode(200)
                .body("size()", equalTo(0)).header("X-Total-Count", String.valueOf(total));
        given().get("/api/v1/runs?sort=colour").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("sort"));
        given().get("/api/v1/runs?offset=-1").then().statusCode(400).contentType("application/problem+json");
    }

    private static String nextData(BufferedReader lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
            if (line.startsWith("data:")) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("no event within 30 s");
    }

    private static void analysis(String id, long step, String layer, int layerIndex, String quantity, double rank) {
        KafkaTestClients.produce(Topics.ANALYSIS_RESULTS, id, ContractJson.write(Map.ofEntries(Map.entry("runId", id),
                Map.entry("step", step), Map.entry("epoch", 1), Map.entry("layer", layer),
                Map.entry("layerIndex", layerIndex), Map.entry("quantity", quantity), Map.entry("effectiveRank", rank),
                Map.entry("singularValueCount", 16), Map.entry("rows", 32), Map.entry("cols", 16),
                Map.entry("nearZeroRows", 0), Map.entry("time", Instant.now().toString()))));
    }

    private static String submit(String spec) {
        return given().contentType(ContentType.JSON).body(spec).when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    private static List<String> fieldNames(JsonNode row) {
        List<String> names = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The CSV's rows as Python's csv.DictReader reads them (no options), as JSON objects in column order. */
    private static JsonNode readWithPython(String csv) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Tools.require(Files.isExecutable(python), "/usr/bin/python3", "apt-get install python3");
        Path file = Files.createTempFile("falab-export-", ".csv");
        Files.writeString(file, csv);
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import csv, json, sys\n"
                        + "with open(sys.argv[1], newline='') as f:\n"
                        + "    print(json.dumps(list(csv.DictReader(f))))", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Files.delete(file);
        return JSON.readTree(out);
    }
}
