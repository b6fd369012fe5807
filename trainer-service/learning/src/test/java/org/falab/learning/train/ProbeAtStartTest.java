package org.falab.learning.train;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.falab.contracts.events.Quantities;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.DatasetSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code probeAtStart}: one probe of the untrained network at step 0 before the first update (the study's curves
 * over training start there), then the probes of {@code probeEvery} and of the last step as without it; the step-0
 * probe carries the error signals and activities but no update, and the training itself is unchanged.
 */
class ProbeAtStartTest {

    private static final DatasetSource NO_FILES = DatasetSource.directory(Path.of("/nonexistent"));

    /** {@link Specs#synthetic} (2 steps of 16 on 32 examples) with probes every 3 steps and the flag as given. */
    private static RunSpec spec(boolean probeAtStart) {
        RunSpec s = Specs.synthetic("fa", "sgd", 1, 0.05);
        return new RunSpec(s.dataset(), s.model(), s.hidden(), s.method(), s.optimizer(), s.epochs(), s.batchSize(),
                s.learningRate(), s.momentum(), s.weightDecay(), s.seed(), s.trainSubset(), s.testSubset(), 3,
                s.probeSize(), s.channels(), s.feedbackInit(), s.nesterov(), s.adamwLearningRate(), s.norm(),
                s.schedule(), s.scheduleMilestones(), s.scheduleGamma(), s.augment(), s.probeLayout(), probeAtStart);
    }

    @Test
    void probesTheUntrainedNetworkAtStepZeroThenAsBefore() throws Exception {
        RecordingListener with = new RecordingListener();
        RecordingListener without = new RecordingListener();
        Training.train(spec(true), NO_FILES, with);
        Training.train(spec(false), NO_FILES, without);

        // probeEvery 3 > 2 steps: without the flag only the last step is probed
        assertThat(without.probes).extracting(ProbeSnapshot::step).containsExactly(2L);
        assertThat(with.probes).extracting(ProbeSnapshot::step).containsExactly(0L, 2L);
        ProbeSnapshot start = with.probes.get(0);
        assertThat(start.epoch()).isZero();
        List<String> quantities = start.signals().stream().map(LayerSignal::quantity).distinct().toList();
        assertThat(quantities).contains(Quantities.ERROR_SIGNAL, Quantities.BP_ERROR_SIGNAL, Quantities.ACTIVITY)
                .doesNotContain(Quantities.UPDATE);
        assertThat(start.signals()).allSatisfy(sig -> {
            for (float v : sig.values()) {
                assertThat(v).isFinite();
            }
        });
        // the untrained network's error signal differs from the trained one's at the last step
        assertThat(signal(start, "fc1")).isNotEqualTo(signal(with.probes.get(1), "fc1"));
        // probing at the start changes nothing of the training
        assertThat(with.losses()).isEqualTo(without.losses());
        assertThat(signal(with.probes.get(1), "fc1")).isEqualTo(signal(without.probes.get(0), "fc1"));
    }

    private static float[] signal(ProbeSnapshot probe, String layer) {
        return probe.signals().stream()
                .filter(s -> s.layer().equals(layer) && s.quantity().equals(Quantities.ERROR_SIGNAL))
                .findFirst().orElseThrow().values();
    }
}
