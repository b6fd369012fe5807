package org.falab.analysis.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.falab.analysis.events.AnalysisResult;
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
}
