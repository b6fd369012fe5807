package org.falab.gateway.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.gateway.RunState;
import org.falab.contracts.events.AnalysisResult;
import org.falab.gateway.registry.Run;
import org.junit.jupiter.api.Test;

/** Plain JUnit: cells of a sweep body, and the group statistics on known numbers. */
class SweepAggregatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");

    @Test
    void fiveVariantsTimesThreeSeedsAreFifteenCells() throws Exception {
        List<SweepPlanner.Cell> cells = SweepPlanner.plan(JSON.readTree("""
                {"base": {"dataset": "mnist", "method": "bp", "epochs": 2},
                 "variants": [{"method": "bp"}, {"method": "fa"}, {"method": "fa", "optimizer": "muon"},
                              {"method": "fa", "norm": "batch"}, {"method": "fa", "norm": "layer"}],
                 "grid": {"seed": [1, 2, 3]}}"""), 200);
        assertThat(cells).hasSize(15);
        assertThat(cells.get(0).values()).isEqualTo(Map.of("method", "bp", "seed", 1));
        assertThat(cells.get(8).values()).isEqualTo(Map.of("method", "fa", "optimizer", "muon", "seed", 3));
        assertThat(cells.get(8).spec().path("optimizer").asText()).isEqualTo("muon");
        assertThat(cells.get(8).spec().path("epochs").asInt()).as("base kept").isEqualTo(2);
        assertThat(cells.get(8).spec().path("dataset").asText()).isEqualTo("mnist");
    }

    @Test
    void gridIsACartesianProductWithTheLastFieldFastestAndVariantsDefaultToOne() throws Exception {
        List<SweepPlanner.Cell> cells = SweepPlanner.plan(JSON.readTree("""
                {"base": {"dataset": "mnist", "method": "fa"}, "grid": {"model": ["mlp", "cnn"], "seed": [7, 8]}}"""),
                4);
        assertThat(cells).extracting(c -> c.values().get("model") + "/" + c.values().get("seed"))
                .containsExactly("mlp/7", "mlp/8", "cnn/7", "cnn/8");
        assertThat(SweepPlanner.plan(JSON.readTree("{\"base\": {\"dataset\": \"mnist\"}}"), 1)).singleElement()
                .satisfies(c -> assertThat(c.values()).isEmpty());
    }

    @Test
    void malformedOrTooLargeSweepsNameThePart() throws Exception {
        for (String[] bad : new String[][] {
                {"[1]", "body"},
                {"{\"variants\": [{}]}", "base"},
                {"{\"base\": {}, \"variants\": []}", "variants"},
                {"{\"base\": {}, \"variants\": [3]}", "variants[0]"},
                {"{\"base\": {}, \"grid\": {\"seed\": []}}", "grid.seed"},
                {"{\"base\": {}, \"grid\": [1]}", "grid"},
                {"{\"base\": {}, \"extra\": 1}", "extra"},
                {"{\"base\": {}, \"variants\": [{\"seed\": 1}], \"grid\": {\"seed\": [1, 2]}}", "variants[0].seed"},
                {"{\"base\": {}, \"variants\": [{}, {}], \"grid\": {\"seed\": [1, 2, 3]}}", "grid"}}) {
            assertThatThrownBy(() -> SweepPlanner.plan(JSON.readTree(bad[0]), 5)).as(bad[0])
                    .isInstanceOfSatisfying(SweepPlanner.SweepShapeException.class,
                            e -> assertThat(e.errors()).extracting(err -> err.field()).contains(bad[1]));
        }
    }

    @Test
    void groupsIgnoreSeedAndComputeTheStatisticsOfKnownNumbers() {
        List<Run> runs = List.of(
                run("r1", RunState.SUCCEEDED, cell("fa", 1), 0.80, ranks(100, 10.0, 4.0), ranks(200, 12.0, 5.0)),
                run("r2", RunState.SUCCEEDED, cell("fa", 2), 0.90, ranks(200, 14.0, 7.0)),
                run("r3", RunState.FAILED, cell("fa", 3), 0.10, ranks(50, 16.0, 9.0)),
                run("r4", RunState.SUCCEEDED, cell("bp", 1), 0.95, ranks(300, 30.0, 8.0)),
                run("r5", RunState.RUNNING, cell("bp", 2), null));
        SweepView view = SweepAggregator.aggregate("sweep-1", runs);

        assertThat(view.state()).isEqualTo(SweepView.RUNNING);
        assertThat(view.runs()).extracting(SweepView.RunView::id).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(view.groups()).hasSize(2);

        SweepView.Group fa = view.groups().get(0);
        assertThat(fa.cell()).isEqualTo(Map.of("method", "fa"));
        assertThat(fa.runs()).isEqualTo(3);
        assertThat(fa.finished()).isEqualTo(3);
        // accuracy: SUCCEEDED runs only (0.80, 0.90): mean 0.85, sample std sqrt(0.005)
        assertThat(fa.testAccuracy().n()).isEqualTo(2);
        assertThat(fa.testAccuracy().mean()).isCloseTo(0.85, within(1e-12));
        assertThat(fa.testAccuracy().std()).isCloseTo(Math.sqrt(0.005), within(1e-12));
        assertThat(fa.testAccuracy().min()).isEqualTo(0.80);
        assertThat(fa.testAccuracy().max()).isEqualTo(0.90);
        // ranks at each run's last analysed step: fc1 12, 14, 16 -> mean 14, std 2; fc2 5, 7, 9 -> mean 7, std 2
        assertThat(fa.effectiveRank()).containsOnlyKeys("fc1", "fc2");
        assertThat(fa.effectiveRank().keySet()).containsExactly("fc1", "fc2");
        assertThat(fa.effectiveRank().get("fc1").mean()).isCloseTo(14.0, within(1e-12));
        assertThat(fa.effectiveRank().get("fc1").std()).isCloseTo(2.0, within(1e-12));
        assertThat(fa.effectiveRank().get("fc1").n()).isEqualTo(3);
        assertThat(fa.effectiveRank().get("fc2").mean()).isCloseTo(7.0, within(1e-12));

        SweepView.Group bp = view.groups().get(1);
        assertThat(bp.cell()).isEqualTo(Map.of("method", "bp"));
        assertThat(bp.finished()).isEqualTo(1);
        assertThat(bp.testAccuracy().n()).isEqualTo(1);
        assertThat(bp.testAccuracy().std()).as("n = 1").isEqualTo(0.0);
        assertThat(bp.effectiveRank().get("fc1").std()).as("n = 1").isEqualTo(0.0);
        assertThat(bp.effectiveRank().get("fc1").mean()).isEqualTo(30.0);
    }

    @Test
    void doneWhenEveryRunFinishedAndEmptyStatisticsAreNull() {
        SweepView view = SweepAggregator.aggregate("s", List.of(run("a", RunState.FAILED, cell("fa", 1), null),
                run("b", RunState.FAILED, cell("fa", 2), null)));
        assertThat(view.state()).isEqualTo(SweepView.DONE);
        SweepView.Stats none = view.groups().get(0).testAccuracy();
        assertThat(none.n()).isZero();
        assertThat(none.mean()).isNull();
        assertThat(none.std()).isNull();
        assertThat(view.groups().get(0).effectiveRank()).isEmpty();
    }

    @Test
    void cancelledRunsCountAsFinishedButStalledAndCancellingOnesDoNot() {
        SweepView done = SweepAggregator.aggregate("s", List.of(run("a", RunState.CANCELLED, cell("fa", 1), null),
                run("b", RunState.SUCCEEDED, cell("fa", 2), 0.9)));
        assertThat(done.state()).isEqualTo(SweepView.DONE);
        assertThat(done.groups().get(0).finished()).isEqualTo(2);
        assertThat(done.groups().get(0).testAccuracy().n()).as("only SUCCEEDED runs have a final accuracy")
                .isEqualTo(1);
        for (RunState open : List.of(RunState.STALLED, RunState.CANCELLING, RunState.QUEUED, RunState.RUNNING)) {
            SweepView view = SweepAggregator.aggregate("s", List.of(run("a", RunState.CANCELLED, cell("fa", 1), null),
                    run("b", open, cell("fa", 2), null)));
            assertThat(view.state()).as(open.name()).isEqualTo(SweepView.RUNNING);
            assertThat(SweepAggregator.summary("s", List.of(run("b", open, cell("fa", 2), null))).finished())
                    .as(open.name()).isZero();
        }
    }

    @Test
    void onlyErrorSignalRanksCount() {
        List<AnalysisResult> mixed = new ArrayList<>(ranks(100, 3.0, 2.0));
        mixed.add(new AnalysisResult("a", 200, 1, "fc1", 0, "activity", 99.0, 4, 8, 4, 0, T0));
        Run run = run("a", RunState.SUCCEEDED, cell("fa", 1), 0.5, mixed);
        assertThat(SweepAggregator.lastErrorSignalStep(run)).extracting(AnalysisResult::step).containsOnly(100L);
    }

    private static Map<String, Object> cell(String method, int seed) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("method", method);
        cell.put("seed", seed);
        return cell;
    }

    private static List<AnalysisResult> ranks(long step, double fc1, double fc2) {
        return List.of(new AnalysisResult("x", step, 1, "fc1", 0, "error-signal", fc1, 4, 8, 4, 0, T0),
                new AnalysisResult("x", step, 1, "fc2", 1, "error-signal", fc2, 4, 8, 4, 0, T0));
    }

    @SafeVarargs
    private static Run run(String id, RunState state, Map<String, Object> cell, Double accuracy,
                           List<AnalysisResult>... analysis) {
        List<AnalysisResult> all = new ArrayList<>();
        for (List<AnalysisResult> a : analysis) {
            all.addAll(a);
        }
        return new Run(id, state, null, null, T0, T0, T0, null, null, new Run.Progress(null, null, null),
                new Run.Metrics(null, accuracy, null, null, null), List.of(), List.of(), all, List.of(), List.of(),
                "sweep-1", cell, null, null, null, null, null, "ada", "default", List.of());
    }
}
