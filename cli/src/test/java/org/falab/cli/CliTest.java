package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CliTest {

    private final TestCli testCli = new TestCli();
    private final FakeTicker ticker = testCli.ticker;
    private final StringWriter out = testCli.out;
    private final StringWriter err = testCli.err;
    private final List<URI> connectedTo = testCli.connectedTo;

    private CommandLine cli(FakeGateway gateway) {
        return testCli.commandLine(gateway);
    }

    private static <T> T subcommand(ParseResult result, Class<T> type) {
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    @Test
    void demoOptionsAndTheirDefaults() {
        DemoCommand defaults = subcommand(cli(new FakeGateway()).parseArgs("demo"), DemoCommand.class);
        assertThat(defaults.methods).containsExactly("bp", "fa");
        assertThat(defaults.epochs).isEqualTo(3);
        assertThat(defaults.seed).isEqualTo(42);
        assertThat(defaults.learningRate).isEqualTo(0.005);
        assertThat(defaults.trainSubset).isNull();
        assertThat(defaults.analysisTimeout.seconds).isEqualTo(12);
        String env = System.getenv("FALAB_GATEWAY");
        assertThat(defaults.gateway.gateway()).isEqualTo(URI.create(env != null ? env : "http://127.0.0.1:8080"));

        DemoCommand demo = subcommand(cli(new FakeGateway()).parseArgs("demo", "--gateway", "https://falab.example:9443/",
                "--methods", "bp,fa,dfa", "--epochs", "1", "--seed", "7", "--learning-rate", "0.001",
                "--train-subset", "1000", "--analysis-timeout", "5"), DemoCommand.class);
        assertThat(demo.gateway.gateway()).isEqualTo(URI.create("https://falab.example:9443/"));
        assertThat(demo.methods).containsExactly("bp", "fa", "dfa");
        assertThat(demo.epochs).isEqualTo(1);
        assertThat(demo.seed).isEqualTo(7);
        assertThat(demo.learningRate).isEqualTo(0.001);
        assertThat(demo.trainSubset).isEqualTo(1000);
        assertThat(demo.analysisTimeout.seconds).isEqualTo(5);
    }

    @Test
    void reproduceKeepsEveryOptionItHadInTheScript(@TempDir Path dir) {
        Path table = dir.resolve("table.md");
        ReproduceCommand reproduce = subcommand(cli(new FakeGateway()).parseArgs("reproduce", "--dataset", "cifar100",
                "--models", "resnet18,resnet20", "--seeds", "1,2,3", "--epochs", "200", "--train-subset", "30000",
                "--learning-rate", "0.05", "--out", table.toString(), "--report", "sweep-e391f9102f1b"),
                ReproduceCommand.class);

        assertThat(reproduce.options()).isEqualTo(new SweepBody.Options("cifar100", List.of("resnet18", "resnet20"),
                List.of(1L, 2L, 3L), 200, 30000, 0.05));
        assertThat(reproduce.out).isEqualTo(table);
        assertThat(reproduce.report).isEqualTo("sweep-e391f9102f1b");

        ReproduceCommand defaults = subcommand(cli(new FakeGateway()).parseArgs("reproduce"), ReproduceCommand.class);
        assertThat(defaults.options()).isEqualTo(new SweepBody.Options("fashion-mnist", List.of("mlp", "cnn"),
                List.of(1L, 2L, 3L), 3, null, 0.005));
        assertThat(defaults.out).isNull();
        assertThat(defaults.report).isNull();
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCode2() {
        FakeGateway gateway = new FakeGateway();

        int code = cli(gateway).execute("demo", "--learning-rat", "0.01");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--learning-rat', '0.01'")
                .contains("Possible solutions: --learning-rate");
        assertThat(cli(gateway).execute("reproduce", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("Usage: falab reproduce");
        assertThat(connectedTo).isEmpty();
        assertThat(gateway.submittedRuns).isEmpty();
        assertThat(gateway.submittedSweeps).isEmpty();
    }

    @Test
    void otherUsageErrorsAreExitCode2Too() {
        assertThat(cli(new FakeGateway()).execute()).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("train")).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("demo", "--gateway", "ftp://host")).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("demo", "--epochs", "three")).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("demo", "--epochs", "0")).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("reproduce", "--seeds", "1,x")).isEqualTo(2);
        assertThat(cli(new FakeGateway()).execute("reproduce", "--out", "/no/such/folder/t.md")).isEqualTo(2);
        assertThat(connectedTo).isEmpty();
    }

    @Test
    void helpIsExitCode0() {
        assertThat(cli(new FakeGateway()).execute("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--learning-rate=LR").contains("default: 0.005")
                .contains("--gateway=URL");
    }

    @Test
    void theDemoSubmitsBpAndFaAtTheStableLearningRateAndPrintsBothTables() {
        ObjectNode bpRunning = Fixtures.json(Fixtures.BP).put("state", "RUNNING");
        FakeGateway gateway = new FakeGateway()
                .run("run-0000000000bp", bpRunning, Fixtures.json(Fixtures.BP))
                .run("run-0000000000fa", Fixtures.json(Fixtures.FA));

        int code = cli(gateway).execute("demo", "--gateway", "http://10.0.0.5:8080");

        assertThat(code).isZero();
        assertThat(connectedTo).containsExactly(URI.create("http://10.0.0.5:8080"));
        assertThat(gateway.submittedRuns).hasSize(2);
        ObjectNode bp = gateway.submittedRuns.get(0);
        assertThat(bp.get("method").asText()).isEqualTo("bp");
        assertThat(gateway.submittedRuns.get(1).get("method").asText()).isEqualTo("fa");
        assertThat(bp.get("dataset").asText()).isEqualTo("fashion-mnist");
        assertThat(bp.get("model").asText()).isEqualTo("mlp");
        assertThat(bp.get("hidden").toString()).isEqualTo("[256,256]");
        assertThat(bp.get("epochs").asInt()).isEqualTo(3);
        assertThat(bp.get("seed").asLong()).isEqualTo(42);
        assertThat(bp.get("learningRate").asDouble()).isEqualTo(0.005);
        assertThat(bp.path("trainSubset").isMissingNode() || bp.path("trainSubset").isNull()).as("all examples").isTrue();
        assertThat(bp.get("probeEvery").asInt()).isEqualTo(200);
        String text = out.toString();
        assertThat(text).contains("submitted run-0000000000bp (bp)", "submitted run-0000000000fa (fa)");
        assertThat(text).contains(RunTable.lines(List.of(Fixtures.json(Fixtures.BP), Fixtures.json(Fixtures.FA)))
                .get(4));
        assertThat(text).contains("fa      fc1    1407  40.0/256 (83 zero)  39.0/256 (0 zero)  78.4/256 (0 zero)  "
                + "57.3/256 (0 zero)     71.3 deg");
        assertThat(text).doesNotContain("note:");
        // both runs complete: no analysis wait, only the one 2 s poll while BP ran
        assertThat(ticker.seconds()).isEqualTo(2.0);
    }

    @Test
    void aFailedRunIsExitCode1() {
        ObjectNode failed = Fixtures.json("""
                {"id": "run-00000000dead", "state": "FAILED", "reason": "NaN loss", "spec": {"method": "fa"}}""");
        FakeGateway gateway = new FakeGateway()
                .run("run-0000000000bp", Fixtures.json(Fixtures.BP))
                .run("run-00000000dead", failed);

        int code = cli(gateway).execute("demo");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED: NaN loss");
    }

    @Test
    void aRequestRefusedWith4xxIsBadUsageExitCode2WithTheProblemsDetailAndErrors() {
        FakeGateway gateway = new FakeGateway().refusing(GatewayException.refused("http://gateway.test:8080",
                "POST /api/v1/runs", 400, """
                        {"type": "https://falab.org/problems/invalid-run-spec", "title": "Invalid run spec",
                         "status": 400, "detail": "The run spec has 2 invalid fields.",
                         "errors": [{"field": "learningRate", "message": "must be greater than 0"},
                                    {"field": "hidden[1]", "message": "must be at least 1"}]}"""));

        int code = cli(gateway).execute("demo");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("falab: the gateway at http://gateway.test:8080 refused POST /api/v1/runs: "
                        + "400 Invalid run spec: The run spec has 2 invalid fields.")
                .contains("  learningRate: must be greater than 0")
                .contains("  hidden[1]: must be at least 1");
    }

    @Test
    void anUnreachableGatewayIsExitCode4() {
        FakeGateway gateway = new FakeGateway().refusing(GatewayException.unreachable("http://127.0.0.1:1",
                "POST /api/v1/runs", new java.net.ConnectException("Connection refused")));

        int code = cli(gateway).execute("reproduce");

        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("cannot reach the gateway at http://127.0.0.1:1 (POST /api/v1/runs): "
                + "ConnectException: Connection refused");
    }

    @Test
    void reproduceSubmitsTheSweepBodyFollowsItAndWritesTheTables(@TempDir Path dir) throws Exception {
        JsonNode accepted = Fixtures.json("""
                {"id": "sweep-000000000001", "runs": [{"id": "run-0000000000fa", "cell": {"method": "fa"}}]}""");
        JsonNode running = Fixtures.json("""
                {"id": "sweep-000000000001", "state": "RUNNING",
                 "runs": [{"id": "run-0000000000fa", "state": "RUNNING", "cell": {"method": "fa", "model": "mlp",
                           "seed": 1}}], "groups": []}""");
        JsonNode done = Fixtures.json("""
                {"id": "sweep-000000000001", "state": "DONE",
                 "runs": [{"id": "run-0000000000fa", "state": "SUCCEEDED", "testAccuracy": 0.81,
                           "cell": {"method": "fa", "model": "mlp", "seed": 1}}],
                 "groups": [{"cell": {"method": "fa", "model": "mlp"}, "runs": 1, "finished": 1,
                             "testAccuracy": {"mean": 0.81, "std": 0.0, "min": 0.81, "max": 0.81, "n": 1},
                             "effectiveRank": {"fc1": {"mean": 40.04, "std": 0.0, "n": 1},
                                               "fc2": {"mean": 30.1, "std": 0.0, "n": 1}}}]}""");
        FakeGateway gateway = new FakeGateway().sweep(accepted, "sweep-000000000001", running, done)
                .view("run-0000000000fa", Fixtures.json(Fixtures.FA));
        Path table = dir.resolve("table.md");

        int code = cli(gateway).execute("reproduce", "--models", "mlp", "--seeds", "1", "--epochs", "2",
                "--train-subset", "30000", "--out", table.toString(), "--out-dir", dir.resolve("figures").toString());

        assertThat(code).isZero();
        assertThat(gateway.submittedSweeps).containsExactly(SweepBody.of(new SweepBody.Options("fashion-mnist",
                List.of("mlp"), List.of(1L), 2, 30000, 0.005)));
        String written = Files.readString(table);
        assertThat(written).contains("| method=fa, model=mlp | 1/1 | 0.8100 ± 0.0000 (0.8100–0.8100) | "
                + "fc1 40.0 ± 0.0; fc2 30.1 ± 0.0 |");
        assertThat(written).contains("| method=fa, model=mlp | fc1 | 39.0 | 78.4 | 57.3 | 71.3 |");
        assertThat(written).contains("\"trainSubset\" : 30000");
        assertThat(out.toString()).contains("submitted sweep-000000000001: 1 runs", "written to " + table);
        assertThat(dir.resolve("figures").resolve(StudyReport.MARKDOWN)).content()
                .contains("](error-signal-rank-mlp-fc1.png)", "](angle-to-bp-mlp-fc1.png)");
    }

    @Test
    void reproduceReportDoesNotSubmit(@TempDir Path dir) {
        JsonNode done = Fixtures.json("""
                {"id": "sweep-000000000001", "state": "DONE",
                 "runs": [{"id": "run-00000000dead", "state": "FAILED", "cell": {"method": "fa", "seed": 1}}],
                 "groups": [{"cell": {"method": "fa"}, "runs": 1, "finished": 1,
                             "testAccuracy": {"mean": null, "std": null, "min": null, "max": null, "n": 0},
                             "effectiveRank": {}}]}""");
        FakeGateway gateway = new FakeGateway().sweep(null, "sweep-000000000001", done)
                .view("run-00000000dead", Fixtures.json("""
                        {"id": "run-00000000dead", "state": "FAILED", "reason": "NaN loss"}"""));

        int code = cli(gateway).execute("reproduce", "--report", "sweep-000000000001", "--out-dir",
                dir.toString());

        assertThat(gateway.submittedSweeps).isEmpty();
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("| method=fa | 0/1 | - |  |");
        assertThat(ticker.sleeps).isEmpty();
    }
}
