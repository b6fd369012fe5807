package org.falab.analysis.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.junit.jupiter.api.Test;

class ResultStoreTest {

    private static AnalysisResult result(String run, long step, int layer, double rank) {
        return new AnalysisResult(run, step, 0, "fc" + layer, layer, "error-signal", rank, 4, 8, 4, 0, Instant.EPOCH);
    }

    @Test
    void ordersByStepThenLayerAndReplacesRedeliveries() {
        ResultStore store = new ResultStore(100, 10);
        store.add(List.of(result("a", 200, 1, 1), result("a", 200, 0, 1)));
        store.add(List.of(result("a", 100, 2, 1), result("a", 100, 0, 1)));
        store.add(List.of(result("a", 100, 0, 3.5)));  // redelivered snapshot
        assertThat(store.forRun("a")).get().asList()
                .extracting(r -> ((AnalysisResult) r).step() + "/" + ((AnalysisResult) r).layerIndex())
                .containsExactly("100/0", "100/2", "200/0", "200/1");
        assertThat(store.forRun("a").get().get(0).effectiveRank()).isEqualTo(3.5);
        assertThat(store.forRun("b")).isEmpty();
    }

    @Test
    void isBoundedPerRunAndInRuns() {
        ResultStore store = new ResultStore(3, 2);
        for (int step = 0; step < 5; step++) {
            store.add(List.of(result("a", step, 0, 1)));
        }
        assertThat(store.forRun("a").get()).extracting(AnalysisResult::step).containsExactly(2L, 3L, 4L);
        store.add(List.of(result("b", 0, 0, 1)));
        store.add(List.of(result("c", 0, 0, 1)));
        assertThat(store.forRun("a")).isEmpty();
        assertThat(store.forRun("b")).isPresent();
        assertThat(store.forRun("c")).isPresent();
    }

    @Test
    void keepsAlignmentResultsBesideTheRanks() {
        ResultStore store = new ResultStore(2, 10);
        store.add(List.of(result("a", 100, 0, 1)), List.of(alignment("a", 200, 1, 90.0), alignment("a", 100, 1, 45.0),
                alignment("a", 100, 0, null)));
        assertThat(store.alignmentsFor("a").get()).extracting(r -> r.step() + "/" + r.layerIndex())
                .containsExactly("100/1", "200/1");  // bounded: the lowest (step, layer) went first
        store.add(List.of(), List.of(alignment("a", 200, 1, 30.0)));  // redelivered
        assertThat(store.alignmentsFor("a").get().get(1).errorSignalAngleToBp()).isEqualTo(30.0);
        assertThat(store.forRun("a").get()).hasSize(1);

        store.add(List.of(result("bp", 1, 0, 2)), List.of());
        assertThat(store.alignmentsFor("bp")).get().asList().isEmpty();
        assertThat(store.alignmentsFor("nobody")).isEmpty();
    }

    private static AlignmentResult alignment(String run, long step, int layer, Double angle) {
        return new AlignmentResult(run, step, 0, "fc" + layer, layer, angle, null, null, Instant.EPOCH);
    }
}
