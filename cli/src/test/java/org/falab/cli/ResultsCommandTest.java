package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;
import org.junit.jupiter.api.Test;

/** {@code falab results ID --format table|csv|json}, made from the gateway's JSON views. */
class ResultsCommandTest {

    private static final JsonNode SWEEP = Fixtures.json("""
            {"id": "sweep-000000000001", "state": "DONE",
             "runs": [{"id": "run-0000000000fa", "state": "SUCCEEDED", "cell": {"method": "fa", "seed": 1}}],
             "groups": [{"cell": {"method": "fa", "optimizer": "muon"}, "runs": 2, "finished": 2,
                         "testAccuracy": {"mean": 0.81, "std": 0.01, "min": 0.8, "max": 0.82, "n": 2},
                         "effectiveRank": {"fc1": {"mean": 40.04, "std": 1.5, "n": 2}}}]}""");

    private final TestCli cli = new TestCli();

    @Test
    void csvHasOneRowPerProbeStepAndLayerWithEveryRankAndAngleOfThatPoint() {
        JsonNode fa = Fixtures.json(Fixtures.FA);
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", fa);

        assertThat(cli.execute(gateway, "results", "run-0000000000fa", "--format", "csv")).isZero();

        List<String> lines = Arrays.asList(cli.out().split("\r\n", -1));
        assertThat(lines.get(0)).isEqualTo("run_id,method,step,epoch,layer,layer_index,"
                + "error_signal_effective_rank,error_signal_max_rank,error_signal_near_zero_rows,"
                + "bp_error_signal_effective_rank,bp_error_signal_max_rank,bp_error_signal_near_zero_rows,"
                + "activity_effective_rank,activity_max_rank,activity_near_zero_rows,"
                + "update_effective_rank,update_max_rank,update_near_zero_rows,"
                + "error_signal_angle_to_bp,weight_feedback_angle,feedback_to_weight_norm_ratio");
        // steps 1400 (fc1) and 1407 (fc1, fc2), then the empty string after the last CRLF
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4)).isEmpty();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        for (JsonNode result : fa.path("analysis")) {
            String[] row = rowOf(lines, result.path("step").asLong(), result.path("layer").asText());
            String column = result.path("quantity").asText().replace('-', '_');
            assertThat(row[header.indexOf(column + "_effective_rank")]).as(result.toString())
                    .isEqualTo(result.path("effectiveRank").asText());
            assertThat(row[header.indexOf(column + "_max_rank")]).isEqualTo(result.path("singularValueCount").asText());
            assertThat(row[header.indexOf(column + "_near_zero_rows")]).isEqualTo(result.path("nearZeroRows").asText());
            assertThat(row[header.indexOf("layer_index")]).isEqualTo(result.path("layerIndex").asText());
        }
        for (JsonNode alignment : fa.path("alignment")) {
            String[] row = rowOf(lines, alignment.path("step").asLong(), alignment.path("layer").asText());
            assertThat(row[header.indexOf("error_signal_angle_to_bp")])
                    .isEqualTo(alignment.path("errorSignalAngleToBp").asText());
            assertThat(row[header.indexOf("weight_feedback_angle")]).isEqualTo(alignment.path("weightFeedbackAngle")
                    .asText());
        }
        // step 1400 has only fc1's error signal: the other ranks are empty, not zero
        assertThat(rowOf(lines, 1400, "fc1")[header.indexOf("update_effective_rank")]).isEmpty();
    }

    private static String[] rowOf(List<String> lines, long step, String layer) {
        return lines.stream().skip(1).map(l -> l.split(",", -1))
                .filter(r -> r.length > 4 && r[2].equals(Long.toString(step)) && r[4].equals(layer))
                .findFirst().orElseThrow(() -> new AssertionError("no row of step " + step + " " + layer));
    }

    @Test
    void jsonIsTheViewAndTableTheRunAndRankTables() {
        JsonNode fa = Fixtures.json(Fixtures.FA);
        FakeGateway gateway = new FakeGateway().view("run-0000000000fa", fa);

        assertThat(cli.execute(gateway, "results", "run-0000000000fa", "--format", "json")).isZero();
        assertThat(ContractJson.readTree(cli.out())).isEqualTo(fa);

        TestCli table = new TestCli();
        assertThat(table.execute(gateway, "results", "run-0000000000fa")).isZero();
        assertThat(table.out()).contains(RunTable.lines(List.of(fa)).get(3))
                .contains(RankTable.lines(List.of(fa)).get(4));
    }

    @Test
    void anIdThatIsNoRunIsLookedUpAsASweep() {
        FakeGateway gateway = new FakeGateway().sweep(null, "sweep-000000000001", SWEEP)
                .view("run-0000000000fa", Fixtures.json(Fixtures.FA));

        assertThat(cli.execute(gateway, "results", "sweep-000000000001", "--format", "csv")).isZero();
        assertThat(cli.out()).isEqualTo("sweep_id,method,optimizer,runs,finished,succeeded,test_accuracy_mean,"
                + "test_accuracy_std,test_accuracy_min,test_accuracy_max,fc1_error_signal_effective_rank_mean,"
                + "fc1_error_signal_effective_rank_std,fc1_error_signal_effective_rank_n\r\n"
                + "sweep-000000000001,fa,muon,2,2,2,0.81,0.01,0.8,0.82,40.04,1.5,2\r\n");

        TestCli table = new TestCli();
        assertThat(table.execute(gateway, "results", "sweep-000000000001")).isZero();
        assertThat(table.out()).contains("| method=fa, optimizer=muon | 2/2 | 0.8100 ± 0.0100 (0.8000–0.8200) |");

        TestCli unknown = new TestCli();
        assertThat(unknown.execute(gateway, "results", "run-00000000none")).isEqualTo(2);
        assertThat(unknown.err()).contains("404 Run not found: no run run-00000000none");
    }
}
