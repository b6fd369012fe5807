package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code falab run submit|list|watch|cancel} on a gateway in memory: options, requests, output, exit codes. */
class RunCommandsTest {

    private final TestCli cli = new TestCli();

    @Test
    void everyRunSpecFieldIsAnOptionOfSubmit() {
        assertThat(cli.execute(new FakeGateway(), "run", "submit", "--help")).isZero();
        for (RecordComponent field : RunSpec.class.getRecordComponents()) {
            String option = RunSpecOptions.optionName(field.getName());
            assertThat(cli.out()).as(field.getName()).containsAnyOf(option + "=", "--[no-]" + option.substring(2));
        }
        assertThat(cli.out()).contains("--batch-size=BATCH_SIZE", "--[no-]augment", "One of: bp, fa, dfa",
                "(default: 128)", "(required, here or in --spec)");
    }

    @Test
    void submitSendsExactlyTheGivenFieldsAsTheContractNamesThemAndPrintsTheIdAlone() {
        FakeGateway gateway = new FakeGateway().run("run-000000000001", Fixtures.json(Fixtures.FA));

        int code = cli.execute(gateway, "run", "submit", "--gateway", "http://10.0.0.5:8080", "--dataset", "mnist",
                "--method", "fa", "--optimizer", "muon", "--norm", "batch", "--hidden", "64,32", "--epochs", "2",
                "--batch-size", "32", "--learning-rate", "0.02", "--seed", "7", "--train-subset", "100",
                "--no-augment", "--nesterov", "--schedule-milestones", "1");

        assertThat(code).isZero();
        assertThat(cli.out()).isEqualTo("run-000000000001" + System.lineSeparator());
        assertThat(gateway.submittedRuns).hasSize(1);
        // read back as text: 7 is a long option's value, an int in the expected text
        assertThat(Fixtures.json(gateway.submittedRuns.get(0).toString())).isEqualTo(Fixtures.json("""
                {"dataset": "mnist", "method": "fa", "optimizer": "muon", "norm": "batch", "hidden": [64, 32],
                 "epochs": 2, "batchSize": 32, "learningRate": 0.02, "seed": 7, "trainSubset": 100,
                 "augment": false, "nesterov": true, "scheduleMilestones": [1]}"""));
        // the body reads as the contract's RunSpec, every field where the options put it
        RunSpec spec = ContractJson.readRecord(gateway.submittedRuns.get(0).toString(), RunSpec.class);
        assertThat(spec.hidden()).containsExactly(64, 32);
        assertThat(spec.augment()).isFalse();
        assertThat(spec.learningRate()).isEqualTo(0.02);
    }

    @Test
    void muonScopeIsAnOptionTakingTheContractsValues() {
        FakeGateway gateway = new FakeGateway().run("run-000000000001", Fixtures.json(Fixtures.FA));

        assertThat(cli.execute(gateway, "run", "submit", "--dataset", "mnist", "--method", "fa", "--optimizer",
                "muon", "--muon-scope", "all")).isZero();
        assertThat(gateway.submittedRuns).containsExactly(Fixtures.json("""
                {"dataset": "mnist", "method": "fa", "optimizer": "muon", "muonScope": "all"}"""));
        assertThat(cli.execute(gateway, "run", "submit", "--help")).isZero();
        // picocli wraps the description: compare with the line breaks and indents as single spaces
        assertThat(cli.out().replaceAll("\\s+", " ")).contains("--muon-scope=MUON_SCOPE", "One of: hidden, all.",
                "(default: hidden)");
        assertThat(cli.execute(gateway, "run", "submit", "--dataset", "mnist", "--method", "fa", "--muon-scope",
                "first")).isEqualTo(2);
        assertThat(cli.err()).contains("'first' is not one of hidden, all");
    }

    @Test
    void theOptionsOverrideTheSpecFilesFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, """
                {"dataset": "cifar10", "method": "bp", "model": "cnn", "channels": [16, 32], "epochs": 50}""");
        FakeGateway gateway = new FakeGateway().run("run-000000000001", Fixtures.json(Fixtures.FA));

        int code = cli.execute(gateway, "run", "submit", "--spec", file.toString(), "--epochs", "1", "--method", "fa");

        assertThat(code).isZero();
        assertThat(gateway.submittedRuns).containsExactly(Fixtures.json("""
                {"dataset": "cifar10", "method": "fa", "model": "cnn", "channels": [16, 32], "epochs": 1}"""));
    }

    @Test
    void badValuesAndBadSpecFilesAreUsageErrorsBeforeAnyRequest(@TempDir Path dir) throws Exception {
        FakeGateway gateway = new FakeGateway();
        assertThat(cli.execute(gateway, "run", "submit", "--dataset", "mnist", "--method", "backprop")).isEqualTo(2);
        assertThat(cli.err()).contains("'backprop' is not one of bp, fa, dfa, usf, brsf, frsf");
        assertThat(cli.execute(gateway, "run", "submit", "--method", "fa", "--epochs", "three")).isEqualTo(2);
        assertThat(cli.execute(gateway, "run", "submit", "--method", "fa", "--hidden", "64,x")).isEqualTo(2);
        assertThat(cli.execute(gateway, "run", "submit", "--spec", dir.resolve("none.json").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("none.json: no such file");
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"dataset\": ");
        assertThat(cli.execute(gateway, "run", "submit", "--spec", notJson.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("bad.json: not JSON");
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        assertThat(cli.execute(gateway, "run", "submit", "--spec", array.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("array.json: must hold one JSON object");
        assertThat(cli.execute(gateway, "run", "list", "--limit", "0")).isEqualTo(2);
        assertThat(cli.execute(gateway, "run", "watch")).isEqualTo(2);
        assertThat(cli.execute(gateway, "run")).isEqualTo(2);
        assertThat(gateway.submittedRuns).isEmpty();
        assertThat(cli.connectedTo).isEmpty();
    }

    @Test
    void aSpecTheGatewayRefusesIsExitCode2WithEveryFieldItNamed() {
        FakeGateway gateway = new FakeGateway().refusing(GatewayException.refused("http://gateway.test:8080",
                "POST /api/v1/runs", 400, """
                        {"title": "Invalid run spec", "status": 400, "detail": "1 field is invalid.",
                         "errors": [{"field": "dataset", "message": "is required"}]}"""));

        int code = cli.execute(gateway, "run", "submit", "--method", "fa");

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("400 Invalid run spec: 1 field is invalid.", "  dataset: is required");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void submitWatchFollowsTheRunToItsTablesAndExitsWithItsOutcome() {
        ObjectNode running = Fixtures.json(Fixtures.FA).put("state", "RUNNING");
        FakeGateway gateway = new FakeGateway().run("run-0000000000fa", running, Fixtures.json(Fixtures.FA));

        int code = cli.execute(gateway, "run", "submit", "--dataset", "fashion-mnist", "--method", "fa", "--watch");

        assertThat(code).isZero();
        assertThat(cli.out()).startsWith("run-0000000000fa" + System.lineSeparator())
                .contains("run-0000000000fa   fa   SUCCEEDED  [####################] 100%")
                .contains("Effective rank (Roy-Vetterli) per layer")
                .contains("fa      fc1    1407  40.0/256 (83 zero)");
    }

    @Test
    void watchExitsWith0ForSucceeded1ForFailedAnd3ForCancelled() {
        assertThat(cli.execute(new FakeGateway().view("run-0000000000fa", Fixtures.json(Fixtures.FA)),
                "run", "watch", "run-0000000000fa")).isZero();
        assertThat(cli.execute(new FakeGateway().view("run-0000000000fa",
                Fixtures.json(Fixtures.FA).put("state", "FAILED").put("reason", "NaN loss")),
                "run", "watch", "run-0000000000fa")).isEqualTo(1);
        assertThat(cli.out()).contains("FAILED: NaN loss");
        ObjectNode running = Fixtures.json(Fixtures.FA).put("state", "RUNNING");
        assertThat(cli.execute(new FakeGateway().view("run-0000000000fa", running, running,
                Fixtures.json(Fixtures.FA).put("state", "CANCELLED")), "run", "watch", "run-0000000000fa"))
                .isEqualTo(3);
        assertThat(cli.out()).contains("run-0000000000fa   fa   CANCELLED");
    }

    @Test
    void watchingAnUnknownRunIsExitCode2AndAnUnreachableGatewayExitCode4() {
        assertThat(cli.execute(new FakeGateway(), "run", "watch", "run-00000000none")).isEqualTo(2);
        assertThat(cli.err()).contains("404 Run not found: no run run-00000000none");
        FakeGateway down = new FakeGateway().refusing(GatewayException.unreachable("http://127.0.0.1:1",
                "GET /api/v1/runs/run-0000000000fa", new java.net.ConnectException("Connection refused")));
        assertThat(cli.execute(down, "run", "watch", "run-0000000000fa")).isEqualTo(4);
    }

    @Test
    void cancelSendsTheReasonAndPrintsTheState() {
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", Fixtures.json(Fixtures.FA)
                .put("state", "RUNNING"));

        int code = cli.execute(gateway, "run", "cancel", "run-0000000000fa", "--reason", "wrong rate");

        assertThat(code).isZero();
        assertThat(gateway.cancels).containsExactly("run-0000000000fa: wrong rate");
        assertThat(cli.out()).isEqualTo("run-0000000000fa CANCELLING" + System.lineSeparator());
    }

    @Test
    void cancellingARunThatEndedIsExitCode2() {
        FakeGateway gateway = new FakeGateway().refusing(GatewayException.refused("http://gateway.test:8080",
                "POST /api/v1/runs/run-0000000000fa/cancel", 409, """
                        {"title": "Run already finished", "status": 409, "detail": "run-0000000000fa is SUCCEEDED"}"""));

        assertThat(cli.execute(gateway, "run", "cancel", "run-0000000000fa")).isEqualTo(2);
        assertThat(cli.err()).contains("409 Run already finished: run-0000000000fa is SUCCEEDED");
    }

    @Test
    void listPassesTheLimitAndPrintsATableCsvOrTheJson() {
        FakeGateway gateway = new FakeGateway().list(Fixtures.tree("""
                [{"id": "run-000000000002", "state": "RUNNING", "dataset": "mnist", "method": "fa",
                  "optimizer": "muon", "submittedAt": "2026-12-01T10:00:00Z",
                  "progress": {"epoch": 1, "step": 40, "totalSteps": 80}, "testAccuracy": null},
                 {"id": "run-000000000001", "state": "SUCCEEDED", "dataset": "mnist", "method": "bp",
                  "optimizer": "sgd", "submittedAt": "2026-12-01T09:00:00Z",
                  "progress": {"epoch": 1, "step": 80, "totalSteps": 80}, "testAccuracy": 0.91}]"""));

        assertThat(cli.execute(gateway, "run", "list", "--limit", "2")).isZero();
        assertThat(gateway.listLimits).containsExactly(2);
        List<String> lines = cli.out().lines().toList();
        assertThat(lines.get(0)).startsWith("id                state      dataset  method  optimizer  step   test_accuracy");
        assertThat(lines.get(1)).startsWith("run-000000000002  RUNNING    mnist    fa      muon       40/80  -");
        assertThat(lines.get(2)).startsWith("run-000000000001  SUCCEEDED  mnist    bp      sgd        80/80  0.91");

        TestCli csv = new TestCli();
        assertThat(csv.execute(gateway, "run", "list", "--format", "csv")).isZero();
        assertThat(csv.out()).startsWith("id,state,dataset,method,optimizer,step,test_accuracy,submitted_at\r\n"
                + "run-000000000002,RUNNING,mnist,fa,muon,40/80,,2026-12-01T10:00:00Z\r\n");
        assertThat(gateway.listLimits).containsExactly(2, null);

        TestCli json = new TestCli();
        assertThat(json.execute(gateway, "run", "list", "--format", "json")).isZero();
        assertThat(ContractJson.readTree(json.out())).isEqualTo(gateway.runs(null));
        assertThat(cli.execute(gateway, "run", "list", "--format", "xml")).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"run"}, {"run", "submit"}, {"run", "list"}, {"run", "watch"},
                {"run", "cancel"}, {"sweep"}, {"sweep", "submit"}, {"sweep", "watch"}, {"results"}, {"demo"},
                {"reproduce"}}) {
            TestCli help = new TestCli();
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream
                    .of("--help")).toArray(String[]::new);
            assertThat(help.execute(new FakeGateway(), args)).as(String.join(" ", command)).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Usage: falab " + String.join(" ", command))
                    .contains("3 a run was CANCELLED");
        }
    }
}
