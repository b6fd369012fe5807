package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.falab.contracts.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import io.restassured.http.ContentType;

/**
 * The web page on the real pipeline: the packaged gateway, trainer and analysis service on a real broker and S3
 * server, in the system's headless Chromium. A real run is submitted; its page gains points in the loss chart while
 * it trains (no reload), ends SUCCEEDED with the analysis service's rank curves drawn and its checkpoint linked.
 * Screenshot: e2e/target/screenshots/run-page-real-trainer.png.
 */
@ExtendWith(PipelineStack.class)
class RunPageIT {

    /** Long enough for the page to see it train: 200 examples / 10 per batch x 4 epochs = 80 steps. */
    private static final Map<String, Object> RUN = Map.of(
            "dataset", "mnist", "method", "fa", "hidden", List.of(32), "epochs", 4, "batchSize", 10,
            "learningRate", 0.02, "trainSubset", 200, "testSubset", 60, "probeEvery", 20, "probeSize", 32);

    private static Chromium chromium;

    @BeforeAll
    static void browser() {
        chromium = new Chromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aRealRunsPageGainsPointsWhileItTrainsAndEndsWithRankCurves() throws Exception {
        long t0 = System.nanoTime();
        String id = given().contentType(ContentType.JSON).body(RUN).post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        chromium.driver.get(PipelineStack.running().gateway().url() + "/ui/run.html?id=" + id + "#token="
                + PipelineStack.running().token());
        await().atMost(Duration.ofSeconds(30)).until(() -> !chromium.text("#summary").isEmpty());
        // what the page draws, sampled in the page every 20 ms (a WebDriver poll could miss a short run's steps),
        // and a marker a reload would lose
        chromium.driver.executeScript("""
                window.falabNotReloaded = true;
                window.falabSeen = [];
                setInterval(() => {
                  const chart = document.querySelector(".chart[data-title='train loss']");
                  const state = (document.querySelector('#summary .state') || {}).textContent;
                  const points = chart ? Number(chart.dataset.points) : 0;
                  const last = window.falabSeen[window.falabSeen.length - 1];
                  if (!last || last.points !== points || last.state !== state) {
                    window.falabSeen.push({ points, state });
                  }
                }, 20);""");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> chromium.text("#summary .state").equals("SUCCEEDED"));
        long trained = System.nanoTime();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> seen = (List<Map<String, Object>>) chromium.driver.executeScript(
                "return window.falabSeen");
        List<Long> whileRunning = seen.stream().filter(s -> "RUNNING".equals(s.get("state")))
                .map(s -> ((Number) s.get("points")).longValue()).filter(p -> p > 0).distinct().toList();
        assertThat(whileRunning).as("train-loss points drawn while RUNNING: %s", seen).hasSizeGreaterThanOrEqualTo(2);
        assertThat(whileRunning).isSorted();

        // the analysis service's effective ranks arrive after the snapshots: both layers' rank charts draw the four
        // quantities at each of the four probe steps (20, 40, 60, 80)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> rankCharts(16) == 2);
        long ranked = System.nanoTime();
        assertThat(chromium.points("train loss")).isGreaterThan(whileRunning.get(0).intValue())
                .isEqualTo(80);
        assertThat(chromium.driver.executeScript("return window.falabNotReloaded === true")).isEqualTo(true);
        List<String> linked = chromium.driver.findElements(By.cssSelector("#files a.download[data-key$='.ckpt']"))
                .stream().map(a -> a.getDomAttribute("data-key")).toList();
        assertThat(linked).as("the checkpoints are download links").isNotEmpty();
        // the link's presigned URL serves the trainer's real checkpoint, byte for byte, without a token
        String url = given().queryParam("key", linked.get(0)).get("/api/v1/runs/" + id + "/downloads")
                .then().statusCode(200).extract().path("url");
        byte[] downloaded = io.restassured.RestAssured.given().auth().none().urlEncodingEnabled(false).get(url)
                .then().statusCode(200).extract().asByteArray();
        try (var object = PipelineStack.s3().getObject(io.minio.GetObjectArgs.builder().bucket(PipelineStack.BUCKET)
                .object(linked.get(0)).build())) {
            assertThat(downloaded).isEqualTo(object.readAllBytes());
        }
        assertThat(chromium.driver.findElements(By.id("cancel"))).as("no cancel once it ended").isEmpty();
        chromium.screenshot("run-page-real-trainer");
        System.out.printf("run page on the real pipeline: %d draws of the loss chart while running (%s), SUCCEEDED"
                + " %.1f s after submission, rank curves %.1f s after%n", whileRunning.size(), whileRunning,
                (trained - t0) / 1e9, (ranked - trained) / 1e9);
    }

    /** Layer charts of effective rank with at least {@code points} points (over all their curves). */
    private static int rankCharts(int points) {
        Object n = chromium.driver.executeScript("""
                return [...document.querySelectorAll("#layers .chart[data-title='effective rank']")]
                  .filter(c => Number(c.dataset.points) >= arguments[0]).length""", points);
        return ((Number) n).intValue();
    }
}
