package org.falab.learning.train;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.events.Quantities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.falab.learning.checkpoint.Checkpoint;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.checkpoint.TensorEntry;
import org.falab.learning.data.DatasetSource;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrainingTest {

    private static final DatasetSource NO_FILES = DatasetSource.directory(Path.of("/nonexistent"));

    @ParameterizedTest
    @CsvSource({"bp,sgd", "fa,sgd", "fa,adamw"})
    void twoBatchesCallEveryListenerMethodAndTheCheckpointReproducesTheAccuracy(String method, String optimizer)
            throws Exception {
        RunSpec spec = Specs.synthetic(method, optimizer, 1, 0.05);
        RecordingListener events = new RecordingListener();

        TrainingResult result = Training.train(spec, NO_FILES, events);

        assertThat(events.starts).singleElement().satisfies(s -> {
            assertThat(s.engine()).startsWith("PyTorch 2.7.1 on cpu");
            assertThat(s.totalSteps()).isEqualTo(2);
            assertThat(s.trainExamples()).isEqualTo(32);
            assertThat(s.testExamples()).isEqualTo(64);
        });
        assertThat(events.steps).extracting(StepProgress::step).containsExactly(1L, 2L);
        assertThat(events.steps).allSatisfy(p -> {
            assertThat(p.epoch()).isEqualTo(1);
            assertThat(p.totalSteps()).isEqualTo(2);
            assertThat(p.trainLoss()).isFinite().isPositive();
        });
        // probeEvery 1: after each step
        assertThat(events.probes).extracting(ProbeSnapshot::step).containsExactly(1L, 2L);
        for (ProbeSnapshot snapshot : events.probes) {
            // error signals only here; the other quantities are covered by the probe and model tests
            ProbeSnapshot probe = new ProbeSnapshot(snapshot.epoch(), snapshot.step(), snapshot.signals().stream()
                    .filter(sig -> sig.quantity().equals(Quantities.ERROR_SIGNAL)).toList());
            assertThat(probe.signals()).extracting(LayerSignal::layer).containsExactly("fc1", "fc2");
            assertThat(probe.signals()).extracting(LayerSignal::cols).containsExactly(32, 10);
            assertThat(probe.signals()).allSatisfy(sig -> {
                assertThat(sig.rows()).isEqualTo(8);
                assertThat(sig.quantity()).isEqualTo("error-signal");
                assertThat(sig.layout()).isEqualTo("examples x features");
                assertThat(sig.values()).hasSize(sig.rows() * sig.cols());
                for (float v : sig.values()) {
                    assertThat(v).isFinite();
                }
            });
        }
        assertThat(events.epochs).singleElement().satisfies(e -> {
            assertThat(e.epoch()).isEqualTo(1);
            assertThat(e.step()).isEqualTo(2);
            assertThat(e.trainLoss()).isEqualTo((events.losses().get(0) + events.losses().get(1)) / 2);
            assertThat(e.testAccuracy()).isBetween(0.0, 1.0);
        });
        assertThat(events.checkpoints).singleElement().satisfies(c -> {
            assertThat(c.epoch()).isEqualTo(1);
            assertThat(c.step()).isEqualTo(2);
        });
        assertThat(result.steps()).isEqualTo(2);
        assertThat(result.epochs()).isEqualTo(1);
        assertThat(result.testAccuracy()).isEqualTo(events.epochs.get(0).testAccuracy());

        byte[] bytes = events.checkpoints.get(0).bytes();
        Checkpoint checkpoint = Checkpoints.read(bytes);
        assertThat(checkpoint.manifest().spec()).isEqualTo(spec);
        assertThat(checkpoint.manifest().step()).isEqualTo(2);
        assertThat(checkpoint.manifest().seed()).isEqualTo(42L);
        assertThat(checkpoint.tensors()).containsKeys("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        if (method.equals("fa")) {
            assertThat(checkpoint.tensors()).containsKeys("fc1.feedback", "fc2.feedback");
        } else {
            assertThat(checkpoint.tensors()).doesNotContainKeys("fc1.feedback", "fc2.feedback");
        }
        String stateKey = optimizer.equals("sgd") ? "optimizer.fc1.weight.momentum" : "optimizer.fc1.weight.exp_avg_sq";
        assertThat(checkpoint.tensors()).containsKey(stateKey);
        assertThat(checkpoint.manifest().tensors()).extracting(TensorEntry::name)
                .containsExactlyInAnyOrderElementsOf(checkpoint.tensors().keySet());

        assertThat(Checkpoints.evaluate(bytes, NO_FILES)).isEqualTo(events.epochs.get(0).testAccuracy());
    }

    @Test
    void sameSpecAndSeedGiveIdenticalLosses() throws Exception {
        RunSpec spec = Specs.synthetic("fa", "sgd", 2, 0.05);
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        Training.train(spec, NO_FILES, first);
        Training.train(spec, NO_FILES, second);
        assertThat(first.losses()).hasSize(4).isEqualTo(second.losses());
        assertThat(first.checkpoints.get(1).bytes()).isEqualTo(second.checkpoints.get(1).bytes());

        RecordingListener otherSeed = new RecordingListener();
        Training.train(new RunSpec(Dataset.SYNTHETIC, Model.MLP, spec.hidden(), LearningRule.FA, OptimizerKind.SGD, 2, 16, 0.05, 0.9, 1e-4, 43L, 32,
                64, 1, 8), NO_FILES, otherSeed);
        assertThat(otherSeed.losses()).isNotEqualTo(first.losses());
    }

    @Test
    void aLossThatBecomesNanFailsTheRun() {
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, java.util.List.of(32), LearningRule.BP, OptimizerKind.SGD, 50, 16, 10.0, 0.99, 0, 1L,
                256, 64, 1000, 8);
        RecordingListener events = new RecordingListener();
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, events))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageMatching("train loss became (NaN|\\+Infinity) at step \\d+");
        assertThat(events.steps).isNotEmpty();
    }

    @Test
    void lossCheckNamesTheStep() {
        assertThatThrownBy(() -> LossCheck.requireFinite(Double.NaN, 73))
                .isInstanceOf(TrainingFailedException.class).hasMessage("train loss became NaN at step 73");
        assertThatThrownBy(() -> LossCheck.requireFinite(Double.POSITIVE_INFINITY, 5))
                .hasMessage("train loss became +Infinity at step 5");
    }

    @Test
    void anInvalidSpecFailsWithAReason() {
        // unknown names cannot be built any more (the enums of the contract); bounds and rules still can break
        RunSpec spec = new RunSpec(Dataset.CIFAR10, Model.MLP, java.util.List.of(32), LearningRule.FA,
                OptimizerKind.SGD, 0, 16, 0.1, 0.9, 0, 1L, null, null, 1, 0);
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, new TrainingListener() {}))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("epochs").hasMessageContaining("probeSize");
        RunSpec cannotTrain = new RunSpec(Dataset.SYNTHETIC, Model.CNN, java.util.List.of(32), LearningRule.FA,
                OptimizerKind.SGD, 1, 16, 0.1, 0.9, 0, 1L, null, null, 1, 8);
        assertThatThrownBy(() -> Training.train(cannotTrain, NO_FILES, new TrainingListener() {}))
                .isInstanceOf(TrainingFailedException.class).hasMessageContaining("model: synthetic data is flat");
    }
}
