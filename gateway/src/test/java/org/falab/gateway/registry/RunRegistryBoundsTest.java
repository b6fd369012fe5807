package org.falab.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.storage.ObjectKeys;
import org.junit.jupiter.api.Test;

/** What one run may hold in the registry is bounded, and what the API serves of it is intact. */
class RunRegistryBoundsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T17:10:00Z");

    private final RunRegistry registry = new RunRegistry(new MutableClock(T0),
            new RunRegistry.Limits(Duration.ofSeconds(60), 16, 5, 3));

    @Test
    void probeStepsAreDownsampledToTheLimitKeepingTheNewest() {
        for (long step = 0; step < 10_000; step += 10) {
            registry.onSnapshot(RunRegistryLifecycleTest.snapshot("run-a", step));
            registry.onAnalysis(RunRegistryLifecycleTest.analysis("run-a", step, "fc1", 0, 10.0));
            registry.onAnalysis(RunRegistryLifecycleTest.analysis("run-a", step, "fc2", 1, 5.0));
            registry.onAlignment(new org.falab.contracts.events.AlignmentResult("run-a", step, 1, "fc2", 1, 60.0,
                    70.0, 0.9, T0));
        }
        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.snapshots()).hasSizeBetween(8, 16);
        assertThat(run.snapshots().get(run.snapshots().size() - 1).step()).isEqualTo(9_990L);
        assertThat(run.analysis().stream().map(AnalysisResult::step).distinct()).hasSizeBetween(8, 16);
        assertThat(run.analysis()).as("both layers of each kept step").hasSize(
                2 * (int) run.analysis().stream().map(AnalysisResult::step).distinct().count());
        assertThat(run.analysis().get(run.analysis().size() - 1).step()).isEqualTo(9_990L);
        assertThat(run.alignment()).hasSizeBetween(8, 16);
    }

    @Test
    void snapshotKeysAreServedAsWrittenWhetherDerivedOrNot() {
        registry.onSnapshot(RunRegistryLifecycleTest.snapshot("run-a", 100));
        registry.onSnapshot(new SnapshotRecorded("run-a", 200, 2, T0, "other-bucket", List.of(
                new SnapshotRecorded.Signal("fc1", 0, "activity", "elsewhere/fc1.npy", 4, 4, "examples x features"),
                new SnapshotRecorded.Signal("fc1", 0, "error-signal",
                        ObjectKeys.snapshot("run-a", 200, "fc1", "error-signal"), 4, 4, "examples x features"))));

        List<Run.Snapshot> snapshots = registry.find("run-a").orElseThrow().snapshots();
        assertThat(snapshots.get(0).keys()).containsExactly(ObjectKeys.snapshot("run-a", 100, "fc1", "error-signal"));
        assertThat(snapshots.get(1).keys()).containsExactly("elsewhere/fc1.npy",
                "runs/run-a/snapshots/step-00000200/fc1.error-signal.npy");
        assertThat(snapshots.get(1).bucket()).isEqualTo("other-bucket");
        assertThat(snapshots.get(1).epoch()).isEqualTo(2);
    }

    @Test
    void warningsAndCheckpointsKeepTheNewest() {
        for (int i = 0; i < 20; i++) {
            registry.onRunEvent(new RunEvent("run-a", RunEventType.WARNING, T0.plusSeconds(i), 1, (long) i, null,
                    null, null, null, null, null, null, "warning " + i, 1, null));
            registry.onRunEvent(new RunEvent("run-a", RunEventType.CHECKPOINT_WRITTEN, T0.plusSeconds(i), i, (long) i,
                    null, null, null, ObjectKeys.checkpoint("run-a", i), null, null, null, null, 1, null));
        }
        Run run = registry.find("run-a").orElseThrow();
        assertThat(run.warnings()).extracting(Run.Warning::reason)
                .containsExactly("warning 15", "warning 16", "warning 17", "warning 18", "warning 19");
        assertThat(run.checkpoints()).containsExactly(ObjectKeys.checkpoint("run-a", 17),
                ObjectKeys.checkpoint("run-a", 18), ObjectKeys.checkpoint("run-a", 19));
    }

    @Test
    void pointsShareTheRunIdAndNamesInsteadOfHoldingACopyEach() {
        String layer = new String("fc1");
        registry.onAnalysis(new AnalysisResult(new String("run-a"), 1, 1, layer, 0, new String("activity"), 1.0, 1,
                1, 1, 0, T0));
        registry.onAnalysis(new AnalysisResult(new String("run-a"), 2, 1, new String("fc1"), 0,
                new String("activity"), 1.0, 1, 1, 1, 0, T0));
        List<AnalysisResult> results = registry.find("run-a").orElseThrow().analysis();
        assertThat(results.get(0).runId()).isSameAs(results.get(1).runId());
        assertThat(results.get(0).layer()).isSameAs(results.get(1).layer());
        assertThat(results.get(0).quantity()).isSameAs(results.get(1).quantity());
    }
}
