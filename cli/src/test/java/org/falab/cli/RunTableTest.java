package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class RunTableTest {

    @Test
    void perStepAndStartUpSeparatelyAndTheWarningBesideItsRun() {
        List<String> lines = RunTable.lines(List.of(Fixtures.json(Fixtures.BP), Fixtures.json(Fixtures.FA)));

        assertThat(lines).containsExactly(
                "Runs: per step = (finishedAt - startedAt) / steps; start-up = training time - (finishedAt - startedAt),",
                "  the data loading and engine start before the first step (a fresh trainer's first run pays most)",
                "run               method  state      test acc  train loss  steps  per step  start-up  warnings",
                "run-0000000000bp  bp      SUCCEEDED    0.8512      0.4100   1407  10.00 ms     5.0 s  -",
                "run-0000000000fa  fa      SUCCEEDED    0.8123      0.5123   1407  10.00 ms     0.8 s  diverging at step 600: mean loss",
                "                                                                                      of the last 50 steps 2.31 is more",
                "                                                                                      than 3x its lowest 0.612");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(RunTable.WIDTH));
    }

    @Test
    void withoutStartedAtPerStepFallsBackToTrainingTimeOverStepsAndSaysSo() {
        ObjectNode old = Fixtures.json(Fixtures.BP);
        old.remove("startedAt");
        old.remove("finishedAt");

        List<String> lines = RunTable.lines(List.of(old));

        // 19.07 s / 1407 steps = 13.55 ms, start-up included
        assertThat(lines.get(3).split(" {2,}")).containsExactly("run-0000000000bp", "bp", "SUCCEEDED", "0.8512",
                "0.4100", "1407", "13.55 ms*", "?", "-");
        assertThat(lines.get(4)).isEqualTo("* this gateway reports no startedAt: per step = training time / steps, "
                + "start-up included; start-up unknown");
    }

    @Test
    void aFailedRunShowsItsReasonInTheWarningsColumn() {
        ObjectNode failed = Fixtures.json("""
                {"id": "run-00000000dead", "state": "FAILED", "reason": "NaN loss", "spec": {"method": "fa"},
                 "warnings": [{"time": "2026-12-01T10:00:09Z", "step": 12, "reason": "diverging at step 12"}]}""");

        assertThat(RunTable.warnings(failed)).isEqualTo("FAILED: NaN loss; diverging at step 12");
    }
}
