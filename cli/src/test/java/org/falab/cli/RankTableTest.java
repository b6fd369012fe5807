package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class RankTableTest {

    @Test
    void oneRowPerLayerWithAColumnPerRankedQuantityAndTheAngleToBpForNonBpRuns() {
        List<String> lines = RankTable.lines(List.of(Fixtures.json(Fixtures.BP), Fixtures.json(Fixtures.FA)));

        assertThat(lines).containsExactly(
                "Effective rank (Roy-Vetterli) per layer at each run's last probe step",
                "  each quantity: effective rank/maximum rank (near-zero rows), maximum rank = min(rows, cols); - = none",
                "  angle to BP: between the rule's error signal and BP's on the same probe batch, in degrees",
                "method  layer  step  error-signal        bp-error-signal    activity           update             angle to BP",
                "bp      fc1    1407  43.4/256 (5 zero)   -                  78.4/256 (0 zero)  -                            -",
                "bp      fc2    1407  37.2/256 (1 zero)   -                  64.9/256 (0 zero)  -                            -",
                "fa      fc1    1407  40.0/256 (83 zero)  39.0/256 (0 zero)  78.4/256 (0 zero)  57.3/256 (0 zero)     71.3 deg",
                "fa      fc2    1407  30.1/256 (2 zero)   29.7/256 (0 zero)  45.2/256 (1 zero)  18.3/256 (0 zero)     80.5 deg");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
    }

    @Test
    void aCellIsEffectiveRankOverSingularValueCountWithNearZeroRows() {
        ObjectNode result = Fixtures.json("""
                {"effectiveRank": 12.345, "singularValueCount": 10, "rows": 256, "cols": 10, "nearZeroRows": 7}""");

        assertThat(RankTable.cell(result)).isEqualTo("12.3/10 (7 zero)");
    }

    @Test
    void aRunWithoutAnalysisGetsOneRowOfDashes() {
        ObjectNode run = Fixtures.json("""
                {"id": "run-000000000000", "state": "FAILED", "spec": {"method": "fa"}, "analysis": []}""");

        List<String> lines = RankTable.lines(List.of(run));

        assertThat(lines.get(4).split(" +")).containsExactly("fa", "(none)", "-", "-", "-", "-", "-", "-");
    }

    @Test
    void theStepIsTheLastAnalysedOne() {
        ObjectNode fa = Fixtures.json(Fixtures.FA);

        assertThat(RankTable.lastAnalysedStep(fa)).isEqualTo(1407);
    }
}
