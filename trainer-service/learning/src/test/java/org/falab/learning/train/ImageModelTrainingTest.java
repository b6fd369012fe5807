package org.falab.learning.train;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.ProbeLayout;
import org.falab.contracts.events.Quantities;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.DatasetSource;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two batches of cnn and resnet20 through {@link Training#train} on tiny random 1x28x28 images (an
 * mnist-format directory), finite losses, probe shapes as announced, and a checkpoint (with BN
 * running statistics) that reproduces the accuracy.
 */
class ImageModelTrainingTest {

    @ParameterizedTest
    @CsvSource({"cnn, fa, batch, positions", "cnn, dfa, layer, examples", "resnet20, frsf, batch, positions",
            "resnet20, bp, none, positions"})
    void twoBatchesTrainAndProbeEveryConvLayer(String model, String method, String norm, String layout,
            @TempDir Path root) throws Exception {
        writeMnist(root, 16, 8);
        RunSpec spec = new RunSpec(Dataset.MNIST, JsonEnums.of(Model.class, model), List.of(8), JsonEnums.of(LearningRule.class, method), OptimizerKind.SGD, 1, 8, 0.01, 0.9, 0.0, 3L, null, null, 2, 4,
                List.of(4, 8), null, null, null, JsonEnums.of(Norm.class, norm), null, null, null, false, JsonEnums.of(ProbeLayout.class, layout));
        RecordingListener events = new RecordingListener();
        TrainingResult result = Training.train(spec, DatasetSource.directory(root), events);

        assertThat(events.steps).hasSize(2).allSatisfy(s -> assertThat(s.trainLoss()).isFinite().isPositive());
        ProbeSnapshot probe = events.probes.get(events.probes.size() - 1);
        List<LayerSignal> deltas = probe.signals().stream()
                .filter(s -> s.quantity().equals(Quantities.ERROR_SIGNAL)).toList();
        LayerSignal first = deltas.get(0);
        assertThat(first.layer()).isEqualTo("conv1");
        if (layout.equals("positions")) {
            // 4 probe examples x 28 x 28 positions, one row per position
            assertThat(first.rows()).isEqualTo(4 * 28 * 28);
            assertThat(first.layout()).isEqualTo(LayerSignal.POSITIONS_X_CHANNELS);
        } else {
            assertThat(first.rows()).isEqualTo(4);
            assertThat(first.cols()).isEqualTo(4 * 28 * 28);
            assertThat(first.layout()).isEqualTo(LayerSignal.EXAMPLES_X_CHW);
        }
        LayerSignal head = deltas.get(deltas.size() - 1);
        assertThat(head.rows()).isEqualTo(4);
        assertThat(head.cols()).isEqualTo(10);
        if (model.equals("resnet20")) {
            assertThat(deltas).hasSize(22);
            assertThat(deltas).extracting(LayerSignal::layer).contains("layer2.0.shortcut", "fc");
        }
        boolean bp = method.equals("bp");
        assertThat(probe.signals()).filteredOn(s -> s.quantity().equals(Quantities.BP_ERROR_SIGNAL))
                .hasSize(bp ? 0 : deltas.size());
        assertThat(probe.signals()).filteredOn(s -> s.quantity().equals(Quantities.WEIGHT))
                .first().satisfies(w -> {
                    assertThat(w.layout()).isEqualTo("out x in*kh*kw");
                    assertThat(w.cols()).isEqualTo(9);
                });
        assertThat(probe.signals()).allSatisfy(s -> {
            for (float v : s.values()) {
                assertThat(v).isFinite();
            }
        });
        byte[] checkpoint = events.checkpoints.get(0).bytes();
        assertThat(Checkpoints.evaluate(checkpoint, DatasetSource.directory(root))).isEqualTo(result.testAccuracy());
    }

    static void writeMnist(Path root, int train, int test) throws IOException {
        SplittableRandom rng = new SplittableRandom(9);
        Files.write(root.resolve("train-images-idx3-ubyte"), idx(new int[] {train, 28, 28}, bytes(train * 784, rng)));
        Files.write(root.resolve("train-labels-idx1-ubyte"), idx(new int[] {train}, labels(train, rng)));
        Files.write(root.resolve("t10k-images-idx3-ubyte"), idx(new int[] {test, 28, 28}, bytes(test * 784, rng)));
        Files.write(root.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {test}, labels(test, rng)));
    }

    private static byte[] bytes(int n, SplittableRandom rng) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return b;
    }

    private static byte[] labels(int n, SplittableRandom rng) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(10);
        }
        return b;
    }

    private static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }
}
