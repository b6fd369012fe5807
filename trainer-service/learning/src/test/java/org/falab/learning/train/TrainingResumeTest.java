package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.spec.Schedule;
import org.falab.learning.data.DatasetSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped or killed after any step and resumed from its last checkpoint ends bit for bit as the run straight
 * through: the same losses, epoch summaries and probes after the checkpoint, the same final tensors. Stop steps are
 * drawn from a seeded generator and named in every assertion.
 */
class TrainingResumeTest {

    private static final DatasetSource NO_FILES = DatasetSource.directory(Path.of("/nonexistent"));
    /** 80 examples in batches of 16: 5 steps per epoch, 15 in all. */
    private static final int STEPS_PER_EPOCH = 5;
    private static final int TOTAL_STEPS = 15;

    /** A synthetic mlp of 15 steps; the cosine schedule makes every step's rate depend on the step. */
    static RunSpec mlp(LearningRule method, OptimizerKind optimizer, Norm norm, Schedule schedule,
            List<Integer> milestones) {
        return new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(32, 16), method, optimizer, 3, 16,
                optimizer == OptimizerKind.SGD ? 0.05 : 0.01, 0.9, 1e-3, 7L, 80, 64, 4, 8, null, null, null, null,
                norm, schedule, milestones, 0.5, null, null);
    }

    @Test
    void anFaSgdRunStoppedAfterAnyStepResumesToTheSameParameters() throws Exception {
        RunSpec spec = mlp(LearningRule.FA, OptimizerKind.SGD, Norm.NONE, Schedule.COSINE, null);
        RecordingListener reference = Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu")).events();
        assertThat(reference.steps).hasSize(TOTAL_STEPS);

        long seed = 20261202L;
        Random random = new Random(seed);
        // step 1, mid-epoch, an epoch's last step, the last step but one, and random ones
        TreeSet<Long> stops = new TreeSet<>(List.of(1L, 7L, (long) STEPS_PER_EPOCH, TOTAL_STEPS - 1L));
        while (stops.size() < 7) {
            stops.add(1L + random.nextInt(TOTAL_STEPS - 1));
        }
        for (long stop : stops) {
            String why = "fa sgd run stopped after step " + stop + " of " + stops + " (Random(" + seed + "))";
            Resumes.Outcome partial = Resumes.stoppedAfter(spec, NO_FILES, stop);
            assertThat(partial.stopped()).as(why).isNotNull().satisfies(e -> {
                assertThat(e.step()).isEqualTo(stop);
                assertThat(e.epoch()).isEqualTo((int) ((stop - 1) / STEPS_PER_EPOCH + 1));
                assertThat(e.checkpointed()).isTrue();
                assertThat(e.reason()).isEqualTo("test stop after step " + stop);
            });
            // stopping changes nothing before the stop
            assertThat(partial.events().losses()).as(why).isEqualTo(reference.losses().subList(0, (int) stop));
            CheckpointData last = partial.lastCheckpoint();
            assertThat(last.step()).as(why).isEqualTo(stop);
            assertThat(last.epochEnd()).as(why + ": a stop checkpoint precedes its epoch's evaluation").isFalse();
            Resumes.assertResumeEqualsReference(spec, NO_FILES, reference, last, why);
        }
    }

    @Test
    void muonAdamwAndBrsfRunsKilledAfterACheckpointResumeToTheSameParameters() throws Exception {
        List<RunSpec> specs = List.of(
                // muon matrix fc2, the rest AdamW; layer norm takes the autograd backward
                mlp(LearningRule.FA, OptimizerKind.MUON, Norm.LAYER, Schedule.CONSTANT, null),
                mlp(LearningRule.FA, OptimizerKind.ADAMW, Norm.NONE, Schedule.STEPS, List.of(1, 2)),
                // brSF draws its matrices from the engine's generator, in the step and in the probe
                mlp(LearningRule.BRSF, OptimizerKind.SGD, Norm.NONE, Schedule.CONSTANT, null));
        for (RunSpec spec : specs) {
            killedAndResumed(spec, NO_FILES, 4, spec.method() + " " + spec.optimizer() + " " + spec.norm());
        }
    }

    @Test
    void aCifarCnnWithBatchNormAndAugmentationResumesToTheSameParameters(@TempDir Path root) throws Exception {
        writeCifar100(root, 12, 6);
        // 3 steps per epoch, 2 epochs; batch-norm running statistics are buffers, crops and flips are per step
        RunSpec spec = new RunSpec(Dataset.CIFAR100, Model.CNN, List.of(8), LearningRule.FA, OptimizerKind.SGD, 2, 4,
                0.02, 0.9, 0.0, 5L, null, null, 2, 4, List.of(4), null, null, null, Norm.BATCH, null, null, null, true,
                null);
        killedAndResumed(spec, DatasetSource.directory(root), 3, "cifar100 cnn fa batch-norm augmented");
    }

    /**
     * The SIGKILL case: a trainer keeps the last checkpoint it received, dies, and a new one resumes from it. The
     * reference run checkpoints after every step; resumes start from {@code count} of them drawn at random, the first
     * epoch's end always among them.
     */
    private static void killedAndResumed(RunSpec spec, DatasetSource source, int count, String name)
            throws Exception {
        RecordingListener reference =
                Resumes.run(spec, source, TrainingOptions.defaults("cpu").checkpointingEverySteps(1)).events();
        List<CheckpointData> checkpoints = reference.checkpoints;
        assertThat(checkpoints).extracting(CheckpointData::step)
                .as(name + ": one checkpoint per step").doesNotHaveDuplicates().hasSize(reference.steps.size());
        long seed = name.hashCode();
        Random random = new Random(seed);
        List<CheckpointData> picks = new ArrayList<>();
        picks.add(checkpoints.stream().filter(CheckpointData::epochEnd).findFirst().orElseThrow());
        while (picks.size() < count) {
            // never the final checkpoint: nothing would be left to train
            CheckpointData c = checkpoints.get(random.nextInt(checkpoints.size() - 1));
            if (!picks.contains(c)) {
                picks.add(c);
            }
        }
        for (CheckpointData from : picks) {
            Resumes.assertResumeEqualsReference(spec, source, reference, from,
                    name + " killed after step " + from.step() + " (Random(" + seed + "))");
        }
    }

    @Test
    void intervalCheckpointsComeAtTheirStepsAndChangeNothing() throws Exception {
        RunSpec spec = mlp(LearningRule.FA, OptimizerKind.SGD, Norm.NONE, Schedule.COSINE, null);
        RecordingListener plain = Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu")).events();
        assertThat(plain.checkpoints).extracting(CheckpointData::step).containsExactly(5L, 10L, 15L);
        assertThat(plain.checkpoints).allMatch(CheckpointData::epochEnd);

        RecordingListener everyThird =
                Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu").checkpointingEverySteps(3)).events();
        // multiples of 3, and every epoch's end (15 is both: one checkpoint)
        assertThat(everyThird.checkpoints).extracting(CheckpointData::step)
                .containsExactly(3L, 5L, 6L, 9L, 10L, 12L, 15L);
        assertThat(everyThird.checkpoints).extracting(CheckpointData::epochEnd)
                .containsExactly(false, true, false, false, true, false, true);
        assertThat(everyThird.checkpoints).extracting(CheckpointData::epoch).containsExactly(1, 1, 2, 2, 2, 3, 3);
        assertThat(everyThird.losses()).isEqualTo(plain.losses());
        Resumes.assertSameTensors(everyThird.checkpoints.get(6).bytes(), plain.checkpoints.get(2).bytes(),
                "every 3 steps");

        // a second of training never passes between two checkpoints here, a nanosecond always does
        RecordingListener everyNanosecond =
                Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu").checkpointingEverySeconds(1e-9)).events();
        assertThat(everyNanosecond.checkpoints).extracting(CheckpointData::step)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, TOTAL_STEPS).boxed().toList());
        assertThat(everyNanosecond.checkpoints).filteredOn(CheckpointData::epochEnd).extracting(CheckpointData::step)
                .containsExactly(5L, 10L, 15L);
        RecordingListener everyHour =
                Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu").checkpointingEverySeconds(3600)).events();
        assertThat(everyHour.checkpoints).extracting(CheckpointData::step).containsExactly(5L, 10L, 15L);
    }

    @Test
    void aStopWithoutCheckpointStopsAtOnceAndAStopDuringAnEpochEndUsesItsCheckpoint() throws Exception {
        RunSpec spec = mlp(LearningRule.FA, OptimizerKind.SGD, Norm.NONE, Schedule.CONSTANT, null);
        RecordingListener events = new RecordingListener();
        StopSignal cancelAt3 = () -> events.steps.size() == 3
                ? java.util.Optional.of(new StopRequest("cancelled", false)) : java.util.Optional.empty();
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, events,
                TrainingOptions.defaults("cpu").stoppingOn(cancelAt3)))
                .isInstanceOfSatisfying(TrainingStoppedException.class, e -> {
                    assertThat(e.step()).isEqualTo(3);
                    assertThat(e.checkpointed()).isFalse();
                    assertThat(e.getMessage()).isEqualTo(
                            "stopped after step 3 (epoch 1): cancelled; no checkpoint of that step");
                });
        assertThat(events.steps).hasSize(3);
        assertThat(events.checkpoints).isEmpty();

        // asked while the first epoch ended: its checkpoint is of the step the run stops at
        RecordingListener atEnd = new RecordingListener();
        StopSignal afterFirstEpoch = () -> atEnd.epochs.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new StopRequest("given back", false));
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, atEnd,
                TrainingOptions.defaults("cpu").stoppingOn(afterFirstEpoch)))
                .isInstanceOfSatisfying(TrainingStoppedException.class, e -> {
                    assertThat(e.step()).isEqualTo(STEPS_PER_EPOCH);
                    assertThat(e.checkpointed()).isTrue();
                });
        assertThat(atEnd.steps).hasSize(STEPS_PER_EPOCH);
        assertThat(atEnd.checkpoints).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(STEPS_PER_EPOCH);
            assertThat(c.epochEnd()).isTrue();
        });
    }

    @Test
    void aCheckpointOfAnotherSpecOrWithoutResumeStateIsRefused() throws Exception {
        RunSpec spec = mlp(LearningRule.FA, OptimizerKind.SGD, Norm.NONE, Schedule.CONSTANT, null);
        RecordingListener events = Resumes.run(spec, NO_FILES, TrainingOptions.defaults("cpu")).events();
        byte[] checkpoint = events.checkpoints.get(0).bytes();

        RunSpec otherSeed = new RunSpec(spec.dataset(), spec.model(), spec.hidden(), spec.method(), spec.optimizer(),
                spec.epochs(), spec.batchSize(), 0.1, spec.momentum(), spec.weightDecay(), 8L, spec.trainSubset(),
                spec.testSubset(), spec.probeEvery(), spec.probeSize());
        RecordingListener refused = new RecordingListener();
        assertThatThrownBy(() -> Training.train(otherSeed, NO_FILES, refused,
                TrainingOptions.defaults("cpu").resumingFrom(checkpoint)))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageStartingWith("the checkpoint to resume from is of another run spec: ")
                .hasMessageContaining("learningRate 0.05 in the checkpoint, 0.1 here")
                .hasMessageContaining("seed 7 in the checkpoint, 8 here")
                .hasMessageNotContaining("epochs");
        assertThat(refused.starts).as("nothing started").isEmpty();

        assertThatThrownBy(() -> Training.train(spec, NO_FILES, new RecordingListener(),
                TrainingOptions.defaults("cpu").resumingFrom(new byte[] {1, 2, 3})))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageStartingWith("cannot read the checkpoint to resume from: ");

        // a checkpoint of the first format still evaluates, but cannot resume
        byte[] first = CheckpointFormats.asFormat1(checkpoint);
        assertThat(org.falab.learning.checkpoint.Checkpoints.evaluate(first, NO_FILES))
                .isEqualTo(events.epochs.get(0).testAccuracy());
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, new RecordingListener(),
                TrainingOptions.defaults("cpu").resumingFrom(first)))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessage("cannot resume from a falab-checkpoint/1 checkpoint: it has no resume state (written "
                        + "before falab-checkpoint/2)");
    }

    @Test
    void resumingFromTheLastCheckpointTrainsNothingAndReportsTheEnd() throws Exception {
        RunSpec spec = mlp(LearningRule.FA, OptimizerKind.SGD, Norm.NONE, Schedule.CONSTANT, null);
        RecordingListener events = new RecordingListener();
        TrainingResult done = Training.train(spec, NO_FILES, events, TrainingOptions.defaults("cpu"));
        RecordingListener again = new RecordingListener();
        TrainingResult resumed = Training.train(spec, NO_FILES, again,
                TrainingOptions.defaults("cpu").resumingFrom(events.checkpoints.get(2).bytes()));
        assertThat(again.steps).isEmpty();
        assertThat(again.starts.get(0).resumedFromStep()).isEqualTo(TOTAL_STEPS);
        assertThat(resumed.steps()).isEqualTo(TOTAL_STEPS);
        assertThat(resumed.trainLoss()).isEqualTo(done.trainLoss());
        assertThat(resumed.testAccuracy()).isEqualTo(done.testAccuracy());
    }

    /** CIFAR-100's binary format: per record a coarse and a fine label byte, then 3 x 32 x 32 pixels. */
    static void writeCifar100(Path root, int train, int test) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar100"));
        SplittableRandom rng = new SplittableRandom(11);
        Files.write(dir.resolve("train.bin"), cifarRecords(train, rng));
        Files.write(dir.resolve("test.bin"), cifarRecords(test, rng));
    }

    private static byte[] cifarRecords(int n, SplittableRandom rng) {
        int size = 2 + 3 * 32 * 32;
        byte[] out = new byte[n * size];
        for (int r = 0; r < n; r++) {
            int fine = rng.nextInt(100);
            out[r * size] = (byte) (fine / 5);
            out[r * size + 1] = (byte) fine;
            for (int i = 2; i < size; i++) {
                out[r * size + i] = (byte) rng.nextInt(256);
            }
        }
        return out;
    }
}
