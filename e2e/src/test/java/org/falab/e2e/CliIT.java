package org.falab.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The client as a user runs it: {@code java -jar cli/target/falab-cli.jar} as a process, against the packaged
 * gateway on the real broker, with a real trainer and analysis. A run is submitted, watched to SUCCEEDED and
 * exported as CSV (read back by Python's csv module); a run cancelled while it trains ends its watch with exit 3.
 */
@ExtendWith(PipelineStack.class)
class CliIT {

    private static final Path JAR = Path.of("..", "cli", "target", "falab-cli.jar").toAbsolutePath().normalize();
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(3);

    /** What one CLI process did. */
    record Outcome(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    @Test
    void aRunSubmittedWatchedAndExportedThroughTheCli() throws Exception {
        Outcome submit = cli("run", "submit", "--gateway", RestAssured.baseURI, "--dataset", "mnist", "--method", "fa",
                "--hidden", "32", "--epochs", "1", "--batch-size", "20", "--learning-rate", "0.02",
                "--train-subset", "160", "--test-subset", "60", "--probe-every", "4", "--probe-size", "32");
        assertThat(submit.code()).as(submit.toString()).isZero();
        String id = submit.out().strip();
        assertThat(id).matches("run-[0-9a-f]+");
        // the options became exactly these fields of the spec
        JsonPath spec = given().get("/api/v1/runs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(spec.getList("spec.hidden")).containsExactly(32);
        assertThat(spec.getInt("spec.batchSize")).isEqualTo(20);
        assertThat(spec.getInt("spec.trainSubset")).isEqualTo(160);

        // the gateway from FALAB_GATEWAY this time
        Outcome watch = cli("run", "watch", id);
        // kept as the test's artefact: what a user sees in a log (bars as lines, then the tables)
        Files.writeString(Files.createDirectories(Path.of("target", "pipeline-it")).resolve("cli-run-watch.txt"),
                watch.out());
        assertThat(watch.code()).as(watch.toString()).isZero();
        assertThat(watch.out()).contains(id + "   fa   SUCCEEDED  [####################] 100% epoch 1/1 step 8/8")
                .contains("Effective rank (Roy-Vetterli) per layer at each run's last probe step")
                .containsPattern("fa +fc1 +8 ");

        JsonNode view = ContractJson.readTree(given().get("/api/v1/runs/" + id).then().statusCode(200).extract()
                .asString());
        Outcome csv = cli("results", id, "--format", "csv");
        assertThat(csv.code()).as(csv.toString()).isZero();
        List<Map<String, String>> rows = readWithPython(csv.out());
        // probes at steps 4 and 8, two layers each
        assertThat(rows).hasSize(4);
        for (JsonNode result : view.path("analysis")) {
            Map<String, String> row = rows.stream().filter(r -> r.get("step").equals(result.path("step").asText())
                    && r.get("layer").equals(result.path("layer").asText())).findFirst().orElseThrow();
            String column = result.path("quantity").asText().replace('-', '_') + "_effective_rank";
            assertThat(Double.parseDouble(row.get(column))).as(column)
                    .isEqualTo(result.path("effectiveRank").asDouble());
            assertThat(row.get("run_id")).isEqualTo(id);
        }

        Outcome list = cli("run", "list", "--limit", "10");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern(id + " +SUCCEEDED +mnist +fa +sgd +8/8");
    }

    /**
     * The whole reproduce path of the study at a tiny scale: {@code reproduce --study} on the bucket's tiny MNIST
     * (200 training images, batch 128: 2 steps), one seed, one epoch, both models: 36 runs on the real pipeline,
     * then the tables, results.md and the figures, each PNG decodable, with probes from step 0 in the rank figure.
     */
    @Test
    void theStudyAtATinyScaleWritesTheTablesAndTheFigures() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "pipeline-it", "study"));
        Outcome study = cli(Duration.ofMinutes(25), "reproduce", "--study", "--dataset", "mnist", "--models",
                "mlp,cnn", "--seeds", "0", "--epochs", "1", "--train-subset", "200", "--test-subset", "60",
                "--out-dir", dir.toString());
        Files.writeString(dir.resolve("stdout.txt"), study.out());
        assertThat(study.code()).as(study.toString()).isZero();
        assertThat(study.out()).contains("submitting the study's sweep").contains(": 36 runs");

        String md = Files.readString(dir.resolve("results.md"));
        // the 18 variants of each model, each with its accuracy (1/1 seed finished)
        assertThat(md.lines().filter(l -> l.matches("\\| method=.*model=mlp.*\\| 1/1 \\| [01]\\.\\d{4} ± .*")))
                .hasSize(18);
        assertThat(md.lines().filter(l -> l.matches("\\| method=.*model=cnn.*\\| 1/1 \\| [01]\\.\\d{4} ± .*")))
                .hasSize(18);
        assertThat(md).contains("## Error signal's effective rank over training", "## Divergence warnings",
                "](test-accuracy-mlp.png)", "](test-accuracy-cnn.png)", "](error-signal-rank-mlp-fc1.png)",
                "](angle-to-bp-mlp-fc1.png)", "](error-signal-rank-cnn-conv1.png)");
        try (var pngs = Files.list(dir)) {
            List<Path> figures = pngs.filter(p -> p.toString().endsWith(".png")).toList();
            assertThat(figures).hasSizeGreaterThanOrEqualTo(7);
            for (Path png : figures) {
                java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
                assertThat(image).as(png.toString()).isNotNull();
                assertThat(image.getWidth()).isEqualTo(1200);
            }
        }
        // every run probed at step 0 (probeAtStart) and at its last step 2, and analysed there
        String sweepId = study.out().replaceAll("(?s).*submitted (sweep-[0-9a-f]+).*", "$1");
        Outcome report = cli("reproduce", "--report", sweepId, "--out-dir", dir.resolve("again").toString());
        assertThat(report.code()).as(report.toString()).isZero();
        // the study's runs only: other tests of the same stack (CifarIT) probe at the start too
        JsonNode runs = ContractJson.readTree(given().get("/api/v1/runs?limit=100&sweep=" + sweepId).then()
                .statusCode(200).extract().asString());
        int studyRuns = 0;
        for (JsonNode summary : runs) {
            JsonNode view = ContractJson.readTree(given().get("/api/v1/runs/" + summary.path("id").asText())
                    .then().statusCode(200).extract().asString());
            if (!view.path("spec").path("probeAtStart").asBoolean()) {
                continue;
            }
            studyRuns++;
            List<Long> steps = new ArrayList<>();
            view.path("analysis").forEach(r -> steps.add(r.path("step").asLong()));
            assertThat(steps).as(summary.path("id").asText()).contains(0L).allMatch(s -> s == 0 || s == 2);
            if (view.path("warnings").isEmpty()) {
                assertThat(steps).as(summary.path("id").asText()).contains(2L);
            } else {
                // a diverged run's last probe may hold NaN, which the analysis rejects: its warning is in the report
                assertThat(md).contains(summary.path("id").asText());
            }
        }
        assertThat(studyRuns).isEqualTo(36);
    }

    @Test
    void aRunCancelledWhileItTrainsEndsItsWatchWithExitCode3() throws Exception {
        // long enough to be cancelled while it trains: 200 epochs of 128 steps on the synthetic data
        Outcome submit = cli("run", "submit", "--dataset", "synthetic", "--method", "bp", "--hidden", "16",
                "--epochs", "200", "--batch-size", "32", "--probe-every", "100000000", "--probe-size", "16");
        assertThat(submit.code()).as(submit.toString()).isZero();
        String id = submit.out().strip();
        Process watch = start("run", "watch", id);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().get("/api/v1/runs/" + id).then().extract().path("state"), "RUNNING"::equals);
        Outcome cancel = cli("run", "cancel", id, "--reason", "CliIT");
        assertThat(cancel.code()).as(cancel.toString()).isZero();
        assertThat(cancel.out().strip()).isIn(id + " CANCELLING", id + " CANCELLED");

        Outcome watched = finish(watch);
        assertThat(watched.code()).as(watched.toString()).isEqualTo(3);
        assertThat(watched.out()).contains(id + "   bp   CANCELLED");
        // a run that ended cannot be cancelled again: a 409, the user's mistake
        Outcome again = cli("run", "cancel", id);
        assertThat(again.code()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).contains("409");
    }

    private static Outcome cli(String... args) throws Exception {
        return finish(start(args), PROCESS_TIMEOUT);
    }

    private static Outcome cli(Duration timeout, String... args) throws Exception {
        return finish(start(args), timeout);
    }

    private static Process start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: package cli first (mvn verify at the root)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FALAB_GATEWAY", RestAssured.baseURI);
        // the gateway answers only a caller with a token: the test user's, as a researcher would set it
        builder.environment().put("FALAB_TOKEN", PipelineStack.running().token());
        return builder.start();
    }

    private static Outcome finish(Process process) throws Exception {
        return finish(process, PROCESS_TIMEOUT);
    }

    private static Outcome finish(Process process, Duration timeout) throws Exception {
        // read both streams while it runs, so that a full pipe never blocks it
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not end within " + timeout + "; stdout so far:\n"
                    + out.getNow("?"));
        }
        return new Outcome(process.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The CSV as Python's csv module reads it with no options: one map per row. */
    private static List<Map<String, String>> readWithPython(String csv) throws Exception {
        Tools.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3", "apt-get install python3");
        Path file = Files.createTempFile("falab-results-", ".csv");
        try {
            Files.writeString(file, csv, StandardCharsets.UTF_8);
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", """
                    import csv, json, sys
                    with open(sys.argv[1], newline="") as f:
                        print(json.dumps(list(csv.DictReader(f))))
                    """, file.toString()).redirectErrorStream(true).start();
            String output = read(python.getInputStream());
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(output).isZero();
            List<Map<String, String>> rows = new ArrayList<>();
            for (JsonNode row : ContractJson.readTree(output)) {
                Map<String, String> cells = new HashMap<>();
                row.properties().forEach(f -> cells.put(f.getKey(), f.getValue().asText()));
                rows.add(cells);
            }
            return rows;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
