package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code falab sweep submit|watch} on a gateway in memory. */
class SweepCommandsTest {

    private static final String BODY = """
            {"base": {"dataset": "mnist", "epochs": 1}, "variants": [{"method": "bp"}, {"method": "fa"}],
             "grid": {"seed": [1]}}""";
    private static final JsonNode ACCEPTED = Fixtures.json("""
            {"id": "sweep-000000000001", "runs": [{"id": "run-0000000000bp", "cell": {"method": "bp", "seed": 1}},
                                                  {"id": "run-0000000000fa", "cell": {"method": "fa", "seed": 1}}]}""");

    private final TestCli cli = new TestCli();

    private static JsonNode sweep(String bpState, String faState) {
        return Fixtures.json("""
                {"id": "sweep-000000000001", "state": "RUNNING",
                 "runs": [{"id": "run-0000000000bp", "state": "%s", "cell": {"method": "bp", "seed": 1}},
                          {"id": "run-0000000000fa", "state": "%s", "cell": {"method": "fa", "seed": 1}}],
                 "groups": [{"cell": {"method": "fa"}, "runs": 1, "finished": 0,
                             "testAccuracy": {"mean": 0.81, "std": 0.0, "min": 0.81, "max": 0.81, "n": 1},
                             "effectiveRank": {"fc1": {"mean": 40.04, "std": 0.0, "n": 1}}}]}"""
                .formatted(bpState, faState));
    }

    @Test
    void submitSendsTheFileAsItIsAndPrintsTheSweepIdAloneOnStdout(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sweep.json"), BODY);
        FakeGateway gateway = new FakeGateway().sweep(ACCEPTED, "sweep-000000000001", sweep("QUEUED", "QUEUED"));

        int code = cli.execute(gateway, "sweep", "submit", file.toString());

        assertThat(code).isZero();
        assertThat(gateway.submittedSweeps).containsExactly(Fixtures.json(BODY));
        assertThat(cli.out()).isEqualTo("sweep-000000000001" + System.lineSeparator());
        assertThat(cli.err()).contains("run-0000000000bp method=bp, seed=1", "run-0000000000fa method=fa, seed=1");
        assertThat(cli.execute(gateway, "sweep", "submit", dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(gateway.submittedSweeps).hasSize(1);
    }

    @Test
    void watchShowsOneBarPerRunThenTheTablesAndExitsWith3WhenARunWasCancelled() {
        JsonNode bp = Fixtures.json(Fixtures.BP);
        JsonNode faRunning = Fixtures.json(Fixtures.FA).put("state", "RUNNING");
        JsonNode faCancelled = Fixtures.json(Fixtures.FA).put("state", "CANCELLED");
        FakeGateway gateway = new FakeGateway()
                .sweep(ACCEPTED, "sweep-000000000001", sweep("SUCCEEDED", "QUEUED"), sweep("SUCCEEDED", "RUNNING"),
                        sweep("SUCCEEDED", "CANCELLED"))
                .view("run-0000000000bp", bp)
                .view("run-0000000000fa", faRunning, faCancelled);

        int code = cli.execute(gateway, "sweep", "watch", "sweep-000000000001");

        assertThat(code).isEqualTo(3);
        String out = cli.out();
        assertThat(out).contains("run-0000000000bp   bp/1 SUCCEEDED  [####################] 100%")
                .contains("run-0000000000fa   fa/1 QUEUED     [--------------------]   0%")
                .contains("run-0000000000fa   fa/1 RUNNING    [####################] 100% epoch 3 step 1407/1407")
                .contains("run-0000000000fa   fa/1 CANCELLED")
                .contains("sweep-000000000001: 2/2 runs finished (0 failed, 1 cancelled)")
                .contains("| method=fa | 1/1 | 0.8100 ± 0.0000 (0.8100–0.8100) | fc1 40.0 ± 0.0 |");
        // the finished BP run is read once in full, not at every poll
        assertThat(gateway.gets.get("run-0000000000bp")).isEqualTo(2); // its bar, then the detail table
    }
}
