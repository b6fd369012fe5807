package org.falab.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The run table's filter, sort and pages over a registry of 10,000 runs, and how fast one page is. */
class RunQueryTest {

    private static final int RUNS = 10_000;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RunRegistry REGISTRY = new RunRegistry();

    @BeforeAll
    static void tenThousandRuns() {
        LearningRule[] methods = {LearningRule.BP, LearningRule.FA, LearningRule.DFA};
        for (int i = 0; i < RUNS; i++) {
            String id = String.format("run-%05d", i);
            RunSpec spec = new RunSpec(Dataset.MNIST, Model.MLP, List.of(64), methods[i % 3], OptimizerKind.SGD, 1,
                    128, 0.01, 0.9, 0, i, null, null, 100, 256);
            REGISTRY.onRunRequested(new RunRequested(id, spec, T0.plusSeconds(i), null, null, null, null));
            if (i % 10 == 0) {
                REGISTRY.onRunEvent(event(id, RunEventType.STARTED, i % 1000, null));
                REGISTRY.onRunEvent(event(id, RunEventType.SUCCEEDED, 1000, (i % 1000) / 1000.0));
            }
        }
    }

    private static RunEvent event(String id, RunEventType type, long step, Double accuracy) {
        return new RunEvent(id, type, Instant.now(), 0, step, 1000L, null, accuracy, null, null, null, null, null,
                null, null);
    }

    private static RunQuery.Page query(Map<String, String> filters, String sort, int offset, int limit) {
        return new RunQuery(filters, null, sort, offset, limit).apply(REGISTRY.listWithoutSeries());
    }

    @Test
    void withoutParametersItIsTheNewestFirstLikeBefore() {
        RunQuery.Page page = query(Map.of(), null, 0, 100);
        assertThat(page.total()).isEqualTo(RUNS);
        assertThat(page.runs()).extracting(Run::id)
                .containsExactlyElementsOf(REGISTRY.list(100).stream().map(Run::id).toList());
        assertThat(page.runs().get(0).id()).isEqualTo("run-09999");
    }

    @Test
    void filtersAreExactAndCaseInsensitiveAndCountTheWholeMatch() {
        Map<String, String> filters = new HashMap<>();
        filters.put("method", "FA");
        filters.put("state", "succeeded");
        filters.put("norm", null);
        RunQuery.Page page = query(filters, null, 0, 10);
        // every 10th run succeeded; of those, i % 3 == 1 is fa
        long expected = java.util.stream.IntStream.range(0, RUNS).filter(i -> i % 10 == 0 && i % 3 == 1).count();
        assertThat(page.total()).isEqualTo((int) expected);
        assertThat(page.runs()).hasSize(10).allSatisfy(run -> {
            assertThat(run.spec().method()).isEqualTo(LearningRule.FA);
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        });
    }

    @Test
    void sortsByAccuracyWithUnknownLastAndPagesThroughIt() {
        RunQuery.Page first = query(Map.of(), "accuracy,desc", 0, 3);
        assertThat(first.runs()).extracting(r -> r.metrics().testAccuracy()).containsExactly(0.99, 0.99, 0.99);
        RunQuery.Page pastTheFinished = query(Map.of(), "accuracy,desc", RUNS / 10, 5);
        assertThat(pastTheFinished.runs()).allSatisfy(r -> assertThat(r.metrics().testAccuracy()).isNull());
        RunQuery.Page beyond = query(Map.of(), "accuracy", RUNS + 5, 5);
        assertThat(beyond.runs()).isEmpty();
        assertThat(beyond.total()).isEqualTo(RUNS);
    }

    @Test
    void aBadSortOrFilterNamesTheParameter() {
        assertThatThrownBy(() -> query(Map.of(), "colour", 0, 10)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors().get(0).field()).isEqualTo("sort"));
        assertThatThrownBy(() -> query(Map.of(), "method,up", 0, 10)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> query(Map.of("colour", "red"), null, 0, 10))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors().get(0).field()).isEqualTo("colour"));
    }

    @Test
    void aSortedFilteredPageOfTenThousandRunsTakesMilliseconds() {
        query(Map.of("method", "fa"), "progress,desc", 0, 50);  // warm up
        long start = System.nanoTime();
        int pages = 20;
        for (int i = 0; i < pages; i++) {
            query(Map.of("method", "fa"), "progress,desc", i * 50, 50);
        }
        double ms = (System.nanoTime() - start) / 1e6 / pages;
        System.out.printf("run table: one sorted, filtered page of %d runs in %.1f ms%n", RUNS, ms);
        // generous for a loaded 2-core machine; it is a few ms on an idle one
        assertThat(ms).isLessThan(250);
        List<Run> top = query(Map.of("method", "fa"), "progress,desc", 0, 1).runs();
        assertThat(top.get(0).progress().step()).isEqualTo(1000L);
    }
}
