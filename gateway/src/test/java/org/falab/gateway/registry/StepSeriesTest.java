package org.falab.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bounded, downsampled series of probe steps one run keeps. */
class StepSeriesTest {

    @Test
    void keepsEveryStepUntilFull() {
        StepSeries<String> series = new StepSeries<>(8);
        for (long step = 100; step <= 800; step += 100) {
            long s = step;
            series.update(step, previous -> "v" + s);
        }
        assertThat(series.steps()).containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L);
        assertThat(series.values()).first().isEqualTo("v100");
    }

    @Test
    void aLongRunIsDownsampledEvenlyAndKeepsItsFirstAndNewestStep() {
        StepSeries<Long> series = new StepSeries<>(64);
        for (long step = 0; step < 100_000; step += 10) {
            long s = step;
            series.update(step, previous -> s);
            assertThat(series.size()).isLessThanOrEqualTo(64);
        }
        List<Long> steps = series.steps();
        assertThat(steps).hasSizeBetween(32, 64);
        assertThat(steps.get(0)).isZero();
        assertThat(steps.get(steps.size() - 1)).as("the newest step is always kept").isEqualTo(99_990L);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < steps.size() - 1; i++) {
            gaps.add(steps.get(i) - steps.get(i - 1));
        }
        assertThat(gaps).as("evenly spread over the run").containsOnly(gaps.get(0));
        assertThat(gaps.get(0) * (steps.size() - 2)).isGreaterThan(99_990L / 2);
    }

    @Test
    void theSameStepIsUpdatedNotAdded() {
        StepSeries<List<String>> series = new StepSeries<>(4);
        for (String layer : List.of("fc1", "fc2", "fc3")) {
            series.update(100, previous -> {
                List<String> layers = previous == null ? new ArrayList<>() : previous;
                layers.add(layer);
                return layers;
            });
        }
        assertThat(series.steps()).containsExactly(100L);
        assertThat(series.values().get(0)).containsExactly("fc1", "fc2", "fc3");
    }

    @Test
    void theSameRecordsInTheSameOrderGiveTheSameSeries() {
        StepSeries<Long> first = new StepSeries<>(16);
        StepSeries<Long> second = new StepSeries<>(16);
        long[] steps = {5, 1, 3, 2, 8, 7, 9, 100, 50, 51, 52, 200, 300, 1, 5, 400, 401, 402, 403, 404, 405, 406, 407};
        for (StepSeries<Long> series : List.of(first, second)) {
            for (int i = 0; i < 40; i++) {
                for (long step : steps) {
                    long s = step + i * 1000L;
                    series.update(s, previous -> s);
                }
            }
        }
        assertThat(first.steps()).isEqualTo(second.steps()).hasSizeLessThanOrEqualTo(16);
    }

    @Test
    void stragglersAreKeptBeforeAnyStepWasDropped() {
        StepSeries<Long> series = new StepSeries<>(8);
        series.update(200, previous -> 200L);
        series.update(100, previous -> 100L);
        assertThat(series.steps()).containsExactly(100L, 200L);
    }

    @Test
    void aSeriesKeepsAtLeastTwoSteps() {
        assertThatThrownBy(() -> new StepSeries<>(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
