package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The metric names the dashboards and alert rules rely on ({@code k8s/monitoring/metrics.txt}, written from a
 * real Prometheus scrape by {@code k8s/monitoring/check-local.sh}) are exported by the live packaged services
 * once a run has trained and been analysed: GET /q/metrics of gateway, trainer and analysis.
 */
@ExtendWith(PipelineStack.class)
class MetricsIT {

    private static final Path METRICS_TXT = Path.of("../k8s/monitoring/metrics.txt");

    private static final Map<String, Object> TINY_RUN = Map.of(
            "dataset", "mnist", "method", "fa", "hidden", List.of(32), "epochs", 1, "batchSize", 20,
            "learningRate", 0.02, "trainSubset", 160, "testSubset", 60, "probeEvery", 4, "probeSize", 32);

    @Test
    void theServicesExportEveryMetricNameOfMetricsTxt() throws Exception {
        String id = given().contentType(ContentType.JSON).body(TINY_RUN).post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(id), r -> Set.of("SUCCEEDED", "FAILED").contains(r.getString("state")));
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("SUCCEEDED");
        // the analysis meters exist once the analysis service has analysed a snapshot, which trails the run
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(id).getList("analysis").size(), n -> n > 0);

        Set<String> live = new TreeSet<>(names(given().get("/q/metrics").then().statusCode(200).extract().asString()));
        live.addAll(names(scrape(PipelineStack.trainerUrl())));
        live.addAll(names(scrape(PipelineStack.analysisUrl())));

        Set<String> expected = scrapedNames();
        assertThat(expected).as("metrics.txt").isNotEmpty();
        assertThat(live).as("names exported by gateway, trainer and analysis").containsAll(expected);
        assertThat(scrape(PipelineStack.trainerUrl())).contains("falab_trainer_engine_info{")
                .containsPattern("falab_trainer_engine_info\\{[^}]*device=\"cpu\"")
                .containsPattern("falab_training_loss\\{[^}]*run_id=\"" + id + "\"");
    }

    /** The lines of metrics.txt before its "# declared" section (names the code declares but no service sets yet). */
    static Set<String> scrapedNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(METRICS_TXT)) {
            if (line.startsWith("# declared")) {
                break;
            }
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).forEach(names::add);
        return names;
    }

    static String scrape(String baseUrl) throws Exception {
        assertThat(baseUrl).as("service URL from PipelineStack").isNotNull();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static JsonPath get(String id) {
        return GatewayRuns.get(id);
    }
}
