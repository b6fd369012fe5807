package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.DatasetSource;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;

/** The device a run trains on: resolved from the setting, reported, and the only one the core ever names. */
class TrainingDeviceTest {

    private static final DatasetSource NO_FILES = DatasetSource.directory(Path.of("/nonexistent"));
    private static final Path MAIN = Path.of("src/main/java/org/falab/learning");

    @Test
    void autoTrainsOnTheEnginesGpuElseOnTheCpuAndSaysWhich() throws Exception {
        RunSpec spec = Specs.synthetic("fa", "sgd", 1, 0.05);
        RecordingListener events = new RecordingListener();
        Training.train(spec, NO_FILES, events, "auto");
        String expected = Engine.getInstance().getGpuCount() > 0 ? "gpu:0" : "cpu";
        assertThat(events.starts).singleElement().satisfies(s -> {
            assertThat(s.device()).isEqualTo(expected);
            assertThat(s.engine()).contains(expected.equals("cpu") ? "cpu()" : "gpu(0)");
        });
        RecordingListener onCpu = new RecordingListener();
        Training.train(spec, NO_FILES, onCpu, "cpu");
        assertThat(onCpu.starts).singleElement().satisfies(s -> assertThat(s.device()).isEqualTo("cpu"));
        if (expected.equals("cpu")) {
            assertThat(onCpu.losses()).as("auto is the CPU here: the same numbers").isEqualTo(events.losses());
        }
    }

    @Test
    void aGpuThisMachineDoesNotHaveFailsTheRunWithTheReason() {
        int gpus = Engine.getInstance().getGpuCount();
        RunSpec spec = Specs.synthetic("bp", "sgd", 1, 0.05);
        RecordingListener events = new RecordingListener();
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, events, "gpu:" + gpus))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("device gpu:" + gpus + " asked for")
                .hasMessageContaining("sees " + gpus + " GPU");
        assertThat(events.starts).as("no step was taken").isEmpty();
        if (gpus == 0) {
            assertThatThrownBy(() -> Training.train(spec, NO_FILES, new RecordingListener(), "gpu"))
                    .isInstanceOf(TrainingFailedException.class).hasMessageContaining("no CUDA device");
        }
        assertThatThrownBy(() -> Training.train(spec, NO_FILES, new RecordingListener(), "tpu"))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("unknown training device 'tpu' (expected auto, cpu, gpu or gpu:N)");
    }

    /**
     * Every array of a training comes from the one manager Training opens on the resolved device (TensorFactory,
     * Batch and the probes take it as an argument): a {@code Device.cpu()} anywhere else would put part of a GPU run
     * on the CPU, which a CPU-only machine cannot see by running it, so the sources are read.
     */
    @Test
    void onlyTrainingDeviceNamesADeviceAndOnlyTrainingOpensTheRunsManager() throws IOException {
        List<String> named;
        List<String> managers;
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(50);
            named = sources.stream().filter(p -> contains(p, "Device.cpu()") || contains(p, "Device.gpu("))
                    .map(p -> p.getFileName().toString()).toList();
            managers = sources.stream().filter(p -> contains(p, "newBaseManager("))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(named).containsExactly("TrainingDevice.java");
        // Training: the run's manager on the resolved device; Checkpoints.evaluate: a reload on the engine's default
        assertThat(managers).containsExactly("Checkpoints.java", "Training.java");
        assertThat(read(MAIN.resolve("train/Training.java"))).contains("NDManager.newBaseManager(onDevice)");
        assertThat(read(MAIN.resolve("checkpoint/Checkpoints.java"))).contains("NDManager.newBaseManager()")
                .doesNotContain("newBaseManager(Device");
    }

    private static boolean contains(Path file, String text) {
        return read(file).contains(text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
