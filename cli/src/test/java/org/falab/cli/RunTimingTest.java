package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class RunTimingTest {

    @Test
    void perStepIsActiveTimeOverStepsAndStartUpIsTheRestOfTheTrainingTime() {
        ObjectNode run = Fixtures.json("""
                {"startedAt": "2026-12-01T10:00:05Z", "finishedAt": "2026-12-01T10:00:19.070Z",
                 "progress": {"epoch": 3, "step": 1407, "totalSteps": 1407},
                 "metrics": {"trainingSeconds": 18.57}}""");

        RunTiming timing = RunTiming.of(run);

        assertThat(timing.steps()).isEqualTo(1407L);
        assertThat(timing.activeSeconds()).isCloseTo(14.07, within(1e-9));
        assertThat(timing.perStepSeconds()).isCloseTo(0.01, within(1e-12));
        assertThat(timing.startupSeconds()).isCloseTo(4.5, within(1e-9));
        assertThat(timing.fallback()).isFalse();
    }

    @Test
    void aSecondRunOnAWarmTrainerHasAlmostNoStartUp() {
        ObjectNode run = Fixtures.json(Fixtures.FA);

        RunTiming timing = RunTiming.of(run);

        assertThat(timing.perStepSeconds()).isCloseTo(14.07 / 1407, within(1e-12));
        assertThat(timing.startupSeconds()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void withoutStartedAtItFallsBackToTrainingSecondsOverSteps() {
        ObjectNode run = Fixtures.json("""
                {"progress": {"epoch": 2, "totalSteps": 500}, "metrics": {"trainingSeconds": 25.0}}""");

        RunTiming timing = RunTiming.of(run);

        assertThat(timing.steps()).isEqualTo(500L);
        assertThat(timing.perStepSeconds()).isCloseTo(0.05, within(1e-12));
        assertThat(timing.startupSeconds()).isNull();
        assertThat(timing.fallback()).isTrue();
    }

    @Test
    void nothingIsMadeUpWhenTheViewHasNoTimes() {
        RunTiming timing = RunTiming.of(Fixtures.json("{\"state\": \"QUEUED\"}"));

        assertThat(timing.perStepSeconds()).isNull();
        assertThat(timing.startupSeconds()).isNull();
        assertThat(timing.fallback()).isFalse();
    }
}
