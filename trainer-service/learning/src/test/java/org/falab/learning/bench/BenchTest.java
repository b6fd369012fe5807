package org.falab.learning.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark's tables on known numbers; nothing here is timed (quantiles: contracts' BenchmarksTest). */
class BenchTest {

    @Test
    void aSideSortsThePooledStepsBeforeTakingItsQuantiles() {
        Bench.Side side = Bench.side(List.of(9.0, 1.0, 5.0, 3.0, 7.0), "v");
        assertThat(side.medianMs()).isEqualTo(5.0);
        assertThat(side.p10Ms()).isEqualTo(1.8);
        assertThat(side.p90Ms()).isEqualTo(8.2);
        assertThat(side.n()).isEqualTo(5);
    }

    @Test
    void muonsExtraTimeIsComparedWithTheFloorOfItsProducts() {
        Bench.Case sgd = new Bench.Case("mlp", "mlp:4,4", "fa", "sgd", 8, 1, 1, 0);
        Bench.Case muon = new Bench.Case("mlp", "mlp:4,4", "fa", "muon", 8, 1, 1, 0);
        Bench.Case otherThreads = new Bench.Case("mlp", "mlp:4,4", "fa", "sgd", 8, 1, 1, 0);
        var json = org.falab.contracts.json.ContractJson.mapper().createArrayNode();
        List<String> lines = Bench.muonTable(List.of(
                new Bench.Measured(otherThreads, 2, new Bench.Side(1, 1, 1, 1, "v"), 0, 50),
                new Bench.Measured(sgd, 1, new Bench.Side(4, 4, 4, 1, "v"), 0, 50),
                new Bench.Measured(muon, 1, new Bench.Side(10, 10, 10, 1, "v"), 1_000_000_000L, 100)), json);
        assertThat(lines).hasSize(2);
        assertThat(json).hasSize(1);
        // extra 10 - 4 = 6 ms; floor 1 GFLOP at 100 GFLOP/s = 10 ms
        assertThat(json.get(0).path("extraMs").asDouble()).isEqualTo(6.0);
        assertThat(json.get(0).path("floorMs").asDouble()).isEqualTo(10.0);
        assertThat(json.get(0).path("extraOverFloor").asDouble()).isEqualTo(0.6);
    }

    @Test
    void newtonSchulzCountsFiveStepsOfThreeProductsOnTheWideOrientation() {
        // 2 x 3 (or 3 x 2): m = 2, n = 3: 5 · (4·4·3 + 2·8) = 320
        assertThat(org.falab.learning.train.StepBench.newtonSchulzFlops(2, 3)).isEqualTo(320);
        assertThat(org.falab.learning.train.StepBench.newtonSchulzFlops(3, 2)).isEqualTo(320);
    }
}
