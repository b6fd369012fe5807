package org.falab.gateway.registry;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.RunState;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.junit.jupiter.api.Test;

/** Folding event sequences into the registry: order, duplicates, events before the request, bad records. */
class RunRegistryTest {

    private static final Instant T0 = Instant.parse("2026-11-26T17:10:00Z");
    private static final RunSpec SPEC = new RunSpec(Dataset.FASHION_MNIST, Model.MLP, List.of(256, 256), LearningRule.FA, OptimizerKind.SGD, 3, 128,
            0.01, 0.9, 0.0, 42, null, null, 100, 256);

    // the events are of T0 and after: a clock at T0 keeps the runs RUNNING (not STALLED) while the test looks
    private final RunRegistry registry = new RunRegistry(new MutableClock(T0.plusSeconds(30)),
            RunRegistry.Limits.defaults());

    @Test
    void requestedRunIsQueued() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));

        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.spec()).isEqualTo(SPEC);
        assertThat(run.submittedAt()).isEqualTo(T0);
        assertThat(run.checkpoints()).isEmpty();
        assertThat(registry.find("run-b")).isEmpty();
    }

    @Test
    void fullLifeOfARun() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunEvent(started("run-a", 1));
        assertThat(registry.find("run-a").orElseThrow().state()).isEqualTo(RunState.RUNNING);

        registry.onRunEvent(progress("run-a", 2, 1, 50, 0.84));
        registry.onRunEvent(epochCompleted("run-a", 3, 1, 469, 0.61, 0.81));
        registry.onRunEvent(checkpoint("run-a", 4, 1, 469, "runs/run-a/checkpoints/epoch-0001.ckpt"));
        registry.onRunEvent(progress("run-a", 5, 2, 500, 0.55));

        Run running = registry.find("run-a").orElseThrow();
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.progress()).isEqualTo(new Run.Progress(2, 500L, 1407L));
        assertThat(running.metrics()).isEqualTo(new Run.Metrics(0.55, 0.81, null, "PyTorch 2.7.1 on cpu()", "cpu"));
        assertThat(running.checkpoints()).containsExactly("runs/run-a/checkpoints/epoch-0001.ckpt");

        registry.onRunEvent(succeeded("run-a", 9, 1407, 0.42, 0.85, 120.4));
        Run done = registry.find("run-a").orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.reason()).isNull();
        assertThat(done.progress()).isEqualTo(new Run.Progress(3, 1407L, 1407L));
        assertThat(done.metrics()).isEqualTo(new Run.Metrics(0.42, 0.85, 120.4, "PyTorch 2.7.1 on cpu()", "cpu"));
        assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void ownerAndProjectAreKeptListsFilterByProjectAndActiveRunsCountPerOwner() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0, null, null, null, null, "ada", "vision"));
        registry.onRunRequested(new RunRequested("run-b", SPEC, T0.plusSeconds(1), null, null, null, null, "ada",
                "audio"));
        registry.onRunRequested(new RunRequested("run-c", SPEC, T0.plusSeconds(2), "sweep-1", java.util.Map.of(),
                null, null, "bob", "vision"));
        // from before authentication: no owner, the default project
        registry.onRunRequested(new RunRequested("run-old", SPEC, T0.plusSeconds(3)));

        Run a = registry.find("run-a").orElseThrow();
        assertThat(a.owner()).isEqualTo("ada");
        assertThat(a.project()).isEqualTo("vision");
        Run old = registry.find("run-old").orElseThrow();
        assertThat(old.owner()).isNull();
        assertThat(old.project()).isEqualTo("default");

        assertThat(registry.list(10, "vision"::equals)).extracting(Run::id).containsExactly("run-c", "run-a");
        assertThat(registry.list(1, "vision"::equals)).extracting(Run::id).containsExactly("run-c");
        assertThat(registry.list(10, p -> false)).isEmpty();
        assertThat(registry.sweepIds("vision"::equals)).containsExactly("sweep-1");
        assertThat(registry.sweepIds("audio"::equals)).isEmpty();

        assertThat(registry.activeRuns("ada")).isEqualTo(2);
        registry.onRunEvent(started("run-a", 5));
        assertThat(registry.activeRuns("ada")).as("RUNNING is active").isEqualTo(2);
        registry.onRunEvent(succeeded("run-a", 9, 1407, 0.42, 0.85, 120.4));
        assertThat(registry.activeRuns("ada")).isEqualTo(1);
        assertThat(registry.activeRuns("bob")).isEqualTo(1);
        assertThat(registry.activeRuns("nobody")).isZero();
    }

    @Test
    void failedRunKeepsItsReason() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunEvent(started("run-a", 1));
        registry.onRunEvent(event("run-a", RunEventType.FAILED, 2, 1, 73L, null, null, null, null, null,
                "train loss became NaN at step 73"));

        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.reason()).isEqualTo("train loss became NaN at step 73");
    }

    @Test
    void terminalStateIsNotUndoneByLateOrDuplicateEvents() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunEvent(started("run-a", 1));
        registry.onRunEvent(succeeded("run-a", 9, 1407, 0.42, 0.85, 120.4));
        registry.onRunEvent(started("run-a", 1));
        registry.onRunEvent(progress("run-a", 2, 1, 50, 0.84));
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));

        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.progress().step()).isEqualTo(1407L);
        assertThat(run.metrics().trainLoss()).isEqualTo(0.42);
    }

    @Test
    void olderProgressDoesNotMoveProgressBack() {
        registry.onRunEvent(progress("run-a", 5, 2, 500, 0.55));
        registry.onRunEvent(progress("run-a", 2, 1, 50, 0.84));

        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.progress()).isEqualTo(new Run.Progress(2, 500L, 1407L));
        assertThat(run.metrics().trainLoss()).isEqualTo(0.55);
    }

    @Test
    void eventsBeforeTheRequestCreateTheRunAndTheRequestFillsInTheSpec() {
        registry.onRunEvent(started("run-a", 1));
        registry.onAnalysis(analysis("run-a", 100, "fc1", 0, 37.5));

        Run early = registry.find("run-a").orElseThrow();
        assertThat(early.state()).isEqualTo(RunState.RUNNING);
        assertThat(early.spec()).isNull();
        assertThat(early.analysis()).hasSize(1);

        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        Run late = registry.find("run-a").orElseThrow();
        assertThat(late.state()).as("the request never moves the state back").isEqualTo(RunState.RUNNING);
        assertThat(late.spec()).isEqualTo(SPEC);
        assertThat(late.submittedAt()).isEqualTo(T0);
        assertThat(late.analysis()).hasSize(1);
    }

    @Test
    void duplicatesAreFoldedOnce() {
        RunRequested request = new RunRequested("run-a", SPEC, T0);
        RunEvent ckpt = checkpoint("run-a", 4, 1, 469, "runs/run-a/checkpoints/epoch-0001.ckpt");
        SnapshotRecorded snapshot = snapshot("run-a", 100, "fc1", "fc2");
        for (int i = 0; i < 3; i++) {
            registry.onRunRequested(request);
            registry.onRunEvent(ckpt);
            registry.onSnapshot(snapshot);
            registry.onAnalysis(analysis("run-a", 100, "fc1", 0, 37.5));
        }

        Run run = registry.find("run-a").orElseThrow();
        assertThat(registry.size()).isEqualTo(1);
        assertThat(run.checkpoints()).hasSize(1);
        assertThat(run.snapshots()).hasSize(1);
        assertThat(run.analysis()).hasSize(1);
    }

    @Test
    void analysisForTheSameStepLayerAndQuantityReplaces() {
        registry.onAnalysis(analysis("run-a", 200, "fc2", 1, 20.0));
        registry.onAnalysis(analysis("run-a", 100, "fc2", 1, 30.0));
        registry.onAnalysis(analysis("run-a", 100, "fc1", 0, 37.5));
        registry.onAnalysis(analysis("run-a", 100, "fc1", 0, 40.0));

        List<AnalysisResult> results = registry.find("run-a").orElseThrow().analysis();
        assertThat(results).extracting(AnalysisResult::step, AnalysisResult::layer, AnalysisResult::effectiveRank)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(100L, "fc1", 40.0),
                        org.assertj.core.groups.Tuple.tuple(100L, "fc2", 30.0),
                        org.assertj.core.groups.Tuple.tuple(200L, "fc2", 20.0));
    }

    @Test
    void snapshotsAreOrderedByStepAndReplacedPerStep() {
        registry.onSnapshot(snapshot("run-a", 200, "fc1"));
        registry.onSnapshot(snapshot("run-a", 100, "fc1"));
        registry.onSnapshot(snapshot("run-a", 100, "fc1", "fc2"));

        List<Run.Snapshot> snapshots = registry.find("run-a").orElseThrow().snapshots();
        assertThat(snapshots).extracting(Run.Snapshot::step).containsExactly(100L, 200L);
        assertThat(snapshots.get(0).keys()).hasSize(2);
    }

    @Test
    void listIsNewestFirstAndCountsByState() {
        registry.onRunRequested(new RunRequested("run-old", SPEC, T0));
        registry.onRunRequested(new RunRequested("run-new", SPEC, T0.plusSeconds(60)));
        registry.onRunEvent(started("run-mid", 30));
        registry.onRunEvent(succeeded("run-mid", 40, 10, 0.1, 0.9, 1.0));

        assertThat(registry.list(10)).extracting(Run::id).containsExactly("run-new", "run-mid", "run-old");
        assertThat(registry.list(1)).extracting(Run::id).containsExactly("run-new");
        assertThat(registry.countByState()).containsEntry(RunState.QUEUED, 2L).containsEntry(RunState.SUCCEEDED, 1L)
                .containsEntry(RunState.RUNNING, 0L).containsEntry(RunState.FAILED, 0L);
    }

    @Test
    void theOldestQueuedRunsAgeIsTheQueueAsNoTrainerSeesIt() {
        // clock at T0 + 30 s: run-a waits 30 s, run-b 20 s, run-c is taken by a trainer, run-d cancelled while queued
        assertThat(registry.oldestQueuedAge()).isEqualTo(java.time.Duration.ZERO);
        registry.onRunRequested(new RunRequested("run-b", SPEC, T0.plusSeconds(10)));
        assertThat(registry.oldestQueuedAge()).isEqualTo(java.time.Duration.ofSeconds(20));
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        registry.onRunRequested(new RunRequested("run-c", SPEC, T0.minusSeconds(100)));
        registry.onRunEvent(started("run-c", 5));
        registry.onRunRequested(new RunRequested("run-d", SPEC, T0.minusSeconds(200)));
        registry.onCancellation(new RunCancellation("run-d", T0.minusSeconds(150), null, "test"));

        assertThat(registry.countByState()).containsEntry(RunState.QUEUED, 2L);
        assertThat(registry.oldestQueuedSince()).contains(T0);
        assertThat(registry.oldestQueuedAge()).isEqualTo(java.time.Duration.ofSeconds(30));

        registry.onRunEvent(started("run-a", 20));
        registry.onRunEvent(started("run-b", 25));
        assertThat(registry.oldestQueuedSince()).isEmpty();
        assertThat(registry.oldestQueuedAge()).isEqualTo(java.time.Duration.ZERO);
    }

    @Test
    void recordsThatBreakTheContractAreRejectedAndChangeNothing() {
        assertThatThrownBy(() -> registry.onRunRequested(new RunRequested(null, SPEC, T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.onRunRequested(new RunRequested("run-a", null, T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.onRunEvent(event("run-a", null, 1, null, null, null, null, null, null,
                null, null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.onRunEvent(event("run-a", RunEventType.CHECKPOINT_WRITTEN, 1, 1, 469L,
                null, null, null, null, null, null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.onAnalysis(analysis(" ", 100, "fc1", 0, 1.0)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(registry.size()).isZero();
    }

    @Test
    void warningsAndAlignmentResultsAreKeptOnceEach() {
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0));
        RunEvent warning = event("run-a", RunEventType.WARNING, 70, 2, 700L, null, 9.7, null, null, null,
                "loss diverging");
        registry.onRunEvent(warning);
        registry.onRunEvent(warning);  // redelivered
        registry.onRunEvent(event("run-a", RunEventType.WARNING, 90, 2, 900L, null, 12.0, null, null, null,
                "loss diverging again"));
        registry.onAlignment(alignment("run-a", 200, "fc2", 1, 70.0));
        registry.onAlignment(alignment("run-a", 100, "fc2", 1, 80.0));
        registry.onAlignment(alignment("run-a", 100, "fc2", 1, 61.3));  // same (step, layer) replaces
        registry.onAlignment(alignment("run-a", 100, "fc1", 0, null));

        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.state()).as("a warning means a trainer works on it").isEqualTo(RunState.RUNNING);
        assertThat(run.warnings()).extracting(Run.Warning::step, Run.Warning::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(700L, "loss diverging"),
                        org.assertj.core.groups.Tuple.tuple(900L, "loss diverging again"));
        assertThat(run.alignment()).extracting(a -> a.step() + "/" + a.layer())
                .containsExactly("100/fc1", "100/fc2", "200/fc2");
        assertThat(run.alignment().get(1).errorSignalAngleToBp()).isEqualTo(61.3);
        registry.onRunEvent(succeeded("run-a", 100, 1407, 0.4, 0.8, 10));
        registry.onRunEvent(warning);
        assertThat(registry.find("run-a").get().state()).as("terminal stays terminal").isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void sweepRunsAreRebuiltFromTheirRequests() {
        registry.onRunRequested(new RunRequested("run-b", SPEC, T0, "sweep-1", java.util.Map.of("seed", 2)));
        registry.onRunRequested(new RunRequested("run-a", SPEC, T0, "sweep-1", java.util.Map.of("seed", 1)));
        registry.onRunRequested(new RunRequested("run-c", SPEC, T0.plusSeconds(5), "sweep-2", java.util.Map.of()));
        registry.onRunRequested(new RunRequested("run-d", SPEC, T0));
        assertThat(registry.sweep("sweep-1")).extracting(Run::id).containsExactly("run-a", "run-b");
        assertThat(registry.sweep("sweep-1").get(0).cell()).containsEntry("seed", 1);
        assertThat(registry.sweepIds()).containsExactly("sweep-2", "sweep-1");
        assertThat(registry.sweep("nope")).isEmpty();
        assertThat(registry.find("run-d").get().sweepId()).isNull();
    }

    private static org.falab.contracts.events.AlignmentResult alignment(String id, long step, String layer,
            int index, Double angle) {
        return new org.falab.contracts.events.AlignmentResult(id, step, 1, layer, index, angle, 72.8, 0.93,
                T0.plusSeconds(step));
    }

    private static RunEvent started(String id, int second) {
        return new RunEvent(id, RunEventType.STARTED, T0.plusSeconds(second), 0, 0L, 1407L, null, null, null, null,
                "PyTorch 2.7.1 on cpu()", "cpu", null, null, null);
    }

    private static RunEvent progress(String id, int second, int epoch, long step, double loss) {
        return event(id, RunEventType.PROGRESS, second, epoch, step, 1407L, loss, null, null, null, null);
    }

    private static RunEvent epochCompleted(String id, int second, int epoch, long step, double loss, double acc) {
        return event(id, RunEventType.EPOCH_COMPLETED, second, epoch, step, 1407L, loss, acc, null, null, null);
    }

    private static RunEvent checkpoint(String id, int second, int epoch, long step, String key) {
        return event(id, RunEventType.CHECKPOINT_WRITTEN, second, epoch, step, null, null, null, key, null, null);
    }

    private static RunEvent succeeded(String id, int second, long step, double loss, double acc, double seconds) {
        return event(id, RunEventType.SUCCEEDED, second, 3, step, step, loss, acc, null, seconds, null);
    }

    private static RunEvent event(String id, RunEventType type, int second, Integer epoch, Long step, Long total,
            Double loss, Double acc, String key, Double seconds, String reason) {
        return new RunEvent(id, type, T0.plusSeconds(second), epoch, step, total, loss, acc, key, seconds, null,
                null, reason, null, null);
    }

    private static SnapshotRecorded snapshot(String id, long step, String... layers) {
        List<SnapshotRecorded.Signal> signals = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            signals.add(new SnapshotRecorded.Signal(layers[i], i, "error-signal",
                    "runs/" + id + "/snapshots/step-" + step + "/" + layers[i] + ".error-signal.npy", 256, 256,
                    "examples x features"));
        }
        return new SnapshotRecorded(id, step, 1, T0.plusSeconds(step), "falab", signals);
    }

    private static AnalysisResult analysis(String id, long step, String layer, int index, double rank) {
        return new AnalysisResult(id, step, 1, layer, index, "error-signal", rank, 256, 256, 256, 0,
                T0.plusSeconds(step));
    }
}
