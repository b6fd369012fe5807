package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.falab.contracts.npy.NpyArray;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.DatasetSource;

/** Runs that stop and resume, and the comparisons that show a resumed run is the run straight through. */
final class Resumes {

    private Resumes() {}

    /** A run's events, and the stop if it stopped. */
    record Outcome(RecordingListener events, TrainingStoppedException stopped) {

        /** The last checkpoint the listener received. */
        CheckpointData lastCheckpoint() {
            return events.checkpoints.get(events.checkpoints.size() - 1);
        }
    }

    /** Trains, keeping the events whether the run ends or stops. */
    static Outcome run(RunSpec spec, DatasetSource source, TrainingOptions options) throws TrainingFailedException {
        RecordingListener events = new RecordingListener();
        try {
            Training.train(spec, source, events, options);
            return new Outcome(events, null);
        } catch (TrainingStoppedException e) {
            return new Outcome(events, e);
        }
    }

    /** Trains with a listener that also asks to stop (checkpoint first) right after step {@code step}. */
    static Outcome stoppedAfter(RunSpec spec, DatasetSource source, long step) throws TrainingFailedException {
        RecordingListener events = new RecordingListener();
        StopSignal signal = () -> !events.steps.isEmpty() && events.steps.get(events.steps.size() - 1).step() == step
                ? Optional.of(new StopRequest("test stop after step " + step, true)) : Optional.empty();
        try {
            Training.train(spec, source, events, TrainingOptions.defaults("cpu").stoppingOn(signal));
            return new Outcome(events, null);
        } catch (TrainingStoppedException e) {
            return new Outcome(events, e);
        }
    }

    /**
     * Resumes {@code reference}'s run from a checkpoint and asserts that the rest is the reference's: every loss,
     * epoch summary and probe after the checkpoint's step, and every tensor of the final checkpoint bit for bit.
     *
     * @param why printed with every failure (which run, which step, which random draw)
     */
    static void assertResumeEqualsReference(RunSpec spec, DatasetSource source, RecordingListener reference,
            CheckpointData from, String why) throws Exception {
        Outcome resumed = run(spec, source, TrainingOptions.defaults("cpu").resumingFrom(from.bytes()));
        String as = why + ", resumed from the " + (from.epochEnd() ? "epoch-end" : "step") + " checkpoint of step "
                + from.step();
        assertThat(resumed.stopped()).as(as).isNull();
        RecordingListener events = resumed.events();
        assertThat(events.starts).as(as).singleElement().satisfies(s -> {
            assertThat(s.resumedFromStep()).isEqualTo(from.step());
            assertThat(s.totalSteps()).isEqualTo(reference.starts.get(0).totalSteps());
        });
        List<StepProgress> expectedSteps = reference.steps.stream().filter(p -> p.step() > from.step()).toList();
        assertThat(events.steps).as(as + ": steps and losses after the checkpoint").isEqualTo(expectedSteps);
        // an epoch whose last step was checkpointed before its evaluation is evaluated by the resumed run
        List<EpochSummary> expectedEpochs = reference.epochs.stream()
                .filter(e -> e.step() > from.step() || (e.step() == from.step() && !from.epochEnd())).toList();
        assertThat(events.epochs).as(as + ": epoch summaries").isEqualTo(expectedEpochs);
        List<ProbeSnapshot> expectedProbes = reference.probes.stream().filter(p -> p.step() > from.step()).toList();
        assertThat(events.probes).as(as + ": probe steps").extracting(ProbeSnapshot::step)
                .isEqualTo(expectedProbes.stream().map(ProbeSnapshot::step).toList());
        for (int i = 0; i < expectedProbes.size(); i++) {
            List<LayerSignal> want = expectedProbes.get(i).signals();
            List<LayerSignal> got = events.probes.get(i).signals();
            assertThat(got).as(as).hasSameSizeAs(want);
            for (int k = 0; k < want.size(); k++) {
                assertThat(Arrays.equals(got.get(k).values(), want.get(k).values()))
                        .as(as + ": probe of step " + expectedProbes.get(i).step() + ", " + want.get(k).layer() + " "
                                + want.get(k).quantity()).isTrue();
            }
        }
        assertSameTensors(resumed.lastCheckpoint().bytes(), reference.checkpoints.get(reference.checkpoints.size() - 1)
                .bytes(), as);
    }

    /** Every tensor of two checkpoints equal bit for bit ({@code Arrays.equals} of the float values). */
    static void assertSameTensors(byte[] actual, byte[] expected, String as) throws IOException {
        Map<String, NpyArray> got = Checkpoints.read(actual).tensors();
        Map<String, NpyArray> want = Checkpoints.read(expected).tensors();
        assertThat(got.keySet()).as(as).isEqualTo(want.keySet());
        for (String name : want.keySet()) {
            assertThat(Arrays.equals(got.get(name).toFloatArray(), want.get(name).toFloatArray()))
                    .as(as + ": final " + name + " bit-identical").isTrue();
        }
        // and so is everything else: the manifest (resume state included) and the archive's layout
        assertThat(actual).as(as + ": final checkpoint bytes").isEqualTo(expected);
    }
}
