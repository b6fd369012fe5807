package org.falab.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.junit.jupiter.api.Test;

/**
 * The rules of issue 9 on a plain registry with a clock the test moves: cancellation, attempts, heartbeats and
 * STALLED, duplicates, terminal states, and the idempotency index.
 */
class RunRegistryLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-26T17:10:00Z");
    private static final RunSpec SPEC = new RunSpec(Dataset.MNIST, Model.MLP, List.of(64), LearningRule.FA,
            OptimizerKind.SGD, 3, 128, 0.01, 0.9, 0.0, 42, null, null, 100, 256);
    private static final Duration STALLED_AFTER = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(T0);
    private final RunRegistry registry = new RunRegistry(clock,
            new RunRegistry.Limits(STALLED_AFTER, 64, 100, 100));

    @Test
    void aQueuedRunCancelledIsCancelledAtOnceWhicheverRecordComesFirst() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onCancellation(cancellation("run-a", 5));
        // the replay may read the cancellation before the request: same view
        registry.onCancellation(cancellation("run-b", 5));
        registry.onRunRequested(new RunRequested("run-b", SPEC, T0));

        for (String id : List.of("run-a", "run-b")) {
            Run run = run(id);
            assertThat(run.state()).as(id).isEqualTo(RunState.CANCELLED);
            assertThat(run.cancelRequestedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(run.spec()).isEqualTo(SPEC);
        }
    }

    @Test
    void aRunningRunCancelledIsCancellingUntilItsTrainerSaysCancelled() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunEvent(started("run-a", 1, 1, 0));
        registry.onCancellation(cancellation("run-a", 10));
        clock.set(T0.plusSeconds(11));
        assertThat(run("run-a").state()).isEqualTo(RunState.CANCELLING);

        registry.onRunEvent(event("run-a", RunEventType.CANCELLED, 12, 1, 50L, "cancelled through the gateway API"));
        Run cancelled = run("run-a");
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("cancelled through the gateway API");
        assertThat(cancelled.finishedAt()).isEqualTo(T0.plusSeconds(12));

        registry.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 13, 1, 60L, null));
        registry.onRunEvent(started("run-a", 14, 2, 50));
        registry.onRunEvent(event("run-a", RunEventType.SUCCEEDED, 15, 2, 1407L, null));
        assertThat(run("run-a")).as("a terminal state is final").isEqualTo(cancelled);
    }

    @Test
    void aCancellationDoesNotChangeAFinishedRunAndTheEarliestCounts() {
        registry.onRunEvent(started("run-a", 1, 1, 0));
        registry.onRunEvent(event("run-a", RunEventType.SUCCEEDED, 2, 1, 10L, null));
        registry.onCancellation(cancellation("run-a", 9));
        registry.onCancellation(cancellation("run-a", 3));
        registry.onCancellation(cancellation("run-a", 9));

        Run run = run("run-a");
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.cancelRequestedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void eventsOfAnOlderAttemptAreIgnoredAndTheNewAttemptResumes() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        // attempt 1 (old trainers send no attempt: 1)
        registry.onRunEvent(withoutAttempt(started("run-a", 1, 1, 0)));
        registry.onRunEvent(progress("run-a", 2, 1, 500L, 0.5));
        Run first = run("run-a");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.resumedFromStep()).isZero();
        assertThat(first.progress().step()).isEqualTo(500L);

        // the trainer died; another one takes the run from the checkpoint at step 400
        registry.onRunEvent(started("run-a", 30, 2, 400));
        Run second = run("run-a");
        assertThat(second.state()).isEqualTo(RunState.RUNNING);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.resumedFromStep()).isEqualTo(400L);
        assertThat(second.startedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(second.progress().step()).as("the new attempt's progress counts, though behind")
                .isEqualTo(400L);

        // the old trainer was not dead after all: nothing it says counts
        registry.onRunEvent(withoutAttempt(progress("run-a", 31, 1, 600L, 0.1)));
        registry.onRunEvent(event("run-a", RunEventType.FAILED, 32, 1, 600L, "lost the lease"));
        registry.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 100, 1, 600L, null));
        assertThat(run("run-a")).isEqualTo(second);

        registry.onRunEvent(progress("run-a", 40, 2, 450L, 0.4));
        registry.onRunEvent(event("run-a", RunEventType.SUCCEEDED, 50, 2, 1407L, null));
        Run done = run("run-a");
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.progress().step()).isEqualTo(1407L);
    }

    @Test
    void aRunWithoutHeartbeatsIsStalledUntilANewerEvent() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunEvent(started("run-a", 0, 1, 0));
        registry.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 10, 1, 20L, null));

        clock.set(T0.plusSeconds(70));
        assertThat(run("run-a").state()).as("exactly 60 s is not yet stalled").isEqualTo(RunState.RUNNING);
        clock.set(T0.plusSeconds(71));
        Run stalled = run("run-a");
        assertThat(stalled.state()).isEqualTo(RunState.STALLED);
        assertThat(stalled.stalledSince()).isEqualTo(T0.plusSeconds(10));
        assertThat(stalled.lastHeartbeatAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(registry.countByState()).containsEntry(RunState.STALLED, 1L).containsEntry(RunState.RUNNING, 0L);

        // any event of the current attempt is a heartbeat
        registry.onRunEvent(progress("run-a", 70, 1, 30L, 0.9));
        assertThat(run("run-a").state()).isEqualTo(RunState.RUNNING);
        assertThat(run("run-a").stalledSince()).isNull();

        clock.set(T0.plusSeconds(200));
        assertThat(run("run-a").state()).isEqualTo(RunState.STALLED);
        // a new attempt takes it over: RUNNING again
        registry.onRunEvent(started("run-a", 199, 2, 0));
        assertThat(run("run-a").state()).isEqualTo(RunState.RUNNING);
        assertThat(run("run-a").attempt()).isEqualTo(2);
    }

    @Test
    void heartbeatsOfAnOlderAttemptDoNotKeepTheRunAlive() {
        registry.onRunEvent(started("run-a", 0, 2, 100));
        registry.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 100, 1, 20L, null));
        clock.set(T0.plusSeconds(101));
        assertThat(run("run-a").state()).isEqualTo(RunState.STALLED);
        assertThat(run("run-a").stalledSince()).isEqualTo(T0);
    }

    @Test
    void aCancellingRunIsGivenStalledAfterFromItsCancellationThenShownStalled() {
        registry.onRunEvent(started("run-a", 0, 1, 0));
        clock.set(T0.plusSeconds(100));
        assertThat(run("run-a").state()).isEqualTo(RunState.STALLED);

        registry.onCancellation(cancellation("run-a", 100));
        assertThat(run("run-a").state()).as("the trainer gets time to answer").isEqualTo(RunState.CANCELLING);
        clock.set(T0.plusSeconds(161));
        Run stalled = run("run-a");
        assertThat(stalled.state()).isEqualTo(RunState.STALLED);
        assertThat(stalled.stalledSince()).as("the time of the last heartbeat").isEqualTo(T0);

        registry.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 161, 1, 5L, null));
        assertThat(run("run-a").state()).isEqualTo(RunState.CANCELLING);
    }

    @Test
    void applyingEveryRecordTwiceChangesNothing() {
        List<Consumer<RunRegistry>> records = List.of(
                r -> r.onRunRequested(new RunRequested("run-a", SPEC, T0, null, null, "key-1", "a".repeat(64))),
                r -> r.onRunEvent(started("run-a", 1, 1, 0)),
                r -> r.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 2, 1, 10L, null)),
                r -> r.onRunEvent(progress("run-a", 3, 1, 20L, 0.7)),
                r -> r.onRunEvent(new RunEvent("run-a", RunEventType.CHECKPOINT_WRITTEN, T0.plusSeconds(4), 1, 20L,
                        null, null, null, "runs/run-a/checkpoints/epoch-0001.ckpt", null, null, null, null, 1, null)),
                r -> r.onRunEvent(event("run-a", RunEventType.WARNING, 5, 1, 20L, "loss diverging")),
                r -> r.onSnapshot(snapshot("run-a", 20)),
                r -> r.onAnalysis(analysis("run-a", 20, "fc1", 0, 12.5)),
                r -> r.onAlignment(new AlignmentResult("run-a", 20, 1, "fc1", 0, 60.0, 70.0, 0.9,
                        T0.plusSeconds(7))),
                r -> r.onCancellation(cancellation("run-a", 8)),
                r -> r.onRunEvent(started("run-a", 9, 2, 20)),
                r -> r.onRunEvent(event("run-a", RunEventType.HEARTBEAT, 10, 2, 25L, null)));
        RunRegistry once = new RunRegistry(clock, registry.limits());
        records.forEach(record -> record.accept(once));
        records.forEach(record -> {
            record.accept(registry);
            record.accept(registry);
        });
        clock.set(T0.plusSeconds(11));
        assertThat(registry.find("run-a")).isEqualTo(once.find("run-a"));
        assertThat(run("run-a").state()).isEqualTo(RunState.CANCELLING);
        assertThat(run("run-a").checkpoints()).hasSize(1);
        assertThat(run("run-a").warnings()).hasSize(1);
        // and the whole sequence again, at the end, changes nothing either
        records.forEach(record -> record.accept(registry));
        assertThat(registry.find("run-a")).isEqualTo(once.find("run-a"));
    }

    @Test
    void idempotencyKeysIndexRunsAndSweepsAndTheEarliestSubmissionWins() {
        String hash = "b".repeat(64);
        registry.onRunRequested(new RunRequested("run-late", SPEC, T0.plusSeconds(5), null, null, "k", hash));
        registry.onRunRequested(new RunRequested("run-early", SPEC, T0, null, null, "k", hash));
        registry.onRunRequested(new RunRequested("run-late", SPEC, T0.plusSeconds(5), null, null, "k", hash));
        registry.onRunRequested(new RunRequested("run-cell-1", SPEC, T0, "sweep-1", Map.of("seed", 1), "k", hash));
        registry.onRunRequested(new RunRequested("run-cell-2", SPEC, T0.plusMillis(1), "sweep-1", Map.of("seed", 2),
                "k", hash));
        registry.onRunRequested(new RunRequested("run-plain", SPEC, T0));

        assertThat(registry.runForKey("k")).get().extracting(RunRegistry.Keyed::id).isEqualTo("run-early");
        assertThat(registry.runForKey("k").get().requestHash()).isEqualTo(hash);
        assertThat(registry.sweepForKey("k")).as("a key names one run and one sweep: separate endpoints")
                .get().extracting(RunRegistry.Keyed::id).isEqualTo("sweep-1");
        assertThat(registry.runForKey("other")).isEmpty();
    }

    private Run run(String id) {
        return registry.find(id).orElseThrow();
    }

    private static RunCancellation cancellation(String id, int second) {
        return new RunCancellation(id, T0.plusSeconds(second), null, "test");
    }

    @Test
    void everyAttemptIsKeptWithWhereItResumedAndHowItEnded() {
        registry.onRunEvent(started("run-a", 1, 1, 0));
        registry.onRunEvent(progress("run-a", 2, 1, 40L, 0.9));
        // attempt 1's trainer went away; attempt 2 resumes from the checkpoint at step 30, on a GPU
        RunEvent resumed = started("run-a", 70, 2, 30);
        registry.onRunEvent(new RunEvent(resumed.runId(), resumed.type(), resumed.time(), resumed.epoch(),
                resumed.step(), resumed.totalSteps(), null, null, null, null, resumed.engine(), "gpu:0", null, 2, 30L));
        registry.onRunEvent(progress("run-a", 71, 2, 60L, 0.5));

        List<Run.Attempt> open = registry.find("run-a").orElseThrow().attempts();
        assertThat(open).extracting(Run.Attempt::number, Run.Attempt::resumedFromStep, Run.Attempt::device,
                        Run.Attempt::ended)
                .containsExactly(tuple(1, 0L, "cpu", Run.Attempt.REPLACED),
                        tuple(2, 30L, "gpu:0", null));
        assertThat(open.get(0).endedAt()).isEqualTo(T0.plusSeconds(70));
        assertThat(open.get(1).startedAt()).isEqualTo(T0.plusSeconds(70));

        // the old attempt still talking changes nothing; the run's end is the current attempt's end
        registry.onRunEvent(event("run-a", RunEventType.FAILED, 72, 1, 45L, "late"));
        registry.onRunEvent(event("run-a", RunEventType.SUCCEEDED, 80, 2, 1407L, null));
        assertThat(registry.find("run-a").orElseThrow().attempts()).extracting(Run.Attempt::ended)
                .containsExactly(Run.Attempt.REPLACED, "SUCCEEDED");
    }

    @Test
    void onlyTheNewestAttemptsAreKept() {
        for (int attempt = 1; attempt <= RunRegistry.MAX_ATTEMPTS + 7; attempt++) {
            registry.onRunEvent(started("run-a", attempt, attempt, attempt * 10L));
        }
        List<Run.Attempt> kept = registry.find("run-a").orElseThrow().attempts();
        assertThat(kept).hasSize(RunRegistry.MAX_ATTEMPTS);
        assertThat(kept.get(0).number()).isEqualTo(8);
        assertThat(kept.get(kept.size() - 1).number()).isEqualTo(RunRegistry.MAX_ATTEMPTS + 7);
    }

    private static RunEvent started(String id, int second, int attempt, long resumedFrom) {
        return new RunEvent(id, RunEventType.STARTED, T0.plusSeconds(second), 0, resumedFrom, 1407L, null, null,
                null, null, "PyTorch 2.7.1 on cpu()", "cpu", null, attempt, resumedFrom);
    }

    private static RunEvent progress(String id, int second, int attempt, Long step, double loss) {
        return new RunEvent(id, RunEventType.PROGRESS, T0.plusSeconds(second), 1, step, 1407L, loss, null, null,
                null, null, null, null, attempt, null);
    }

    private static RunEvent event(String id, RunEventType type, int second, int attempt, Long step, String reason) {
        return new RunEvent(id, type, T0.plusSeconds(second), 1, step, null, null, null, null, null, null, null,
                reason, attempt, null);
    }

    private static RunEvent withoutAttempt(RunEvent e) {
        return new RunEvent(e.runId(), e.type(), e.time(), e.epoch(), e.step(), e.totalSteps(), e.trainLoss(),
                e.testAccuracy(), e.checkpointKey(), e.trainingSeconds(), e.engine(), e.device(), e.reason(), null,
                e.resumedFromStep());
    }

    static SnapshotRecorded snapshot(String id, long step) {
        return new SnapshotRecorded(id, step, 1, T0.plusSeconds(step), "falab", List.of(
                new SnapshotRecorded.Signal("fc1", 0, "error-signal",
                        org.falab.contracts.storage.ObjectKeys.snapshot(id, step, "fc1", "error-signal"), 256, 64,
                        "examples x features")));
    }

    static AnalysisResult analysis(String id, long step, String layer, int index, double rank) {
        return new AnalysisResult(id, step, 1, layer, index, "error-signal", rank, 64, 256, 64, 0,
                T0.plusSeconds(step));
    }
}
