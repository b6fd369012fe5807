package org.falab.learning.data;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    // 3 images of 2x2 and their labels
    private static final byte[] PIXELS = {0, 1, 2, 3, (byte) 255, (byte) 254, 10, 20, 30, 40, 50, 60};
    private static final byte[] LABELS = {7, 0, 9};

    @Test
    void readsRawAndGzippedImagesAndLabels() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            IdxArray images = Idx.read(new ByteArrayInputStream(idx(new int[] {3, 2, 2}, PIXELS, gz)));
            assertThat(images.dimensions()).containsExactly(3, 2, 2);
            assertThat(images.count()).isEqualTo(3);
            assertThat(images.itemSize()).isEqualTo(4);
            assertThat(images.values()).containsExactly(PIXELS);
            assertThat(images.values()[4] & 0xFF).isEqualTo(255); // unsigned

            IdxArray labels = Idx.read(new ByteArrayInputStream(idx(new int[] {3}, LABELS, gz)));
            assertThat(labels.dimensions()).containsExactly(3);
            assertThat(labels.values()).containsExactly(LABELS);
        }
    }

    @Test
    void rejectsBadMagicAndTruncatedFiles() {
        byte[] bad = idx(new int[] {3}, LABELS, false);
        bad[0] = 1;
        assertThatThrownBy(() -> Idx.read(new ByteArrayInputStream(bad))).hasMessageContaining("magic");
        byte[] ok = idx(new int[] {3, 2, 2}, PIXELS, false);
        byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 2);
        assertThatThrownBy(() -> Idx.read(new ByteArrayInputStream(truncated))).isInstanceOf(IOException.class);
    }

    @Test
    void directorySourceFindsNestedOrFlatFilesAndGzOrRaw(@TempDir Path root) throws IOException {
        // flat gz files (the Debian layout) for training, nested raw files for testing
        Files.write(root.resolve("train-images-idx3-ubyte.gz"), idx(new int[] {3, 2, 2}, PIXELS, true));
        Files.write(root.resolve("train-labels-idx1-ubyte.gz"), idx(new int[] {3}, LABELS, true));
        Files.createDirectories(root.resolve("mnist"));
        Files.write(root.resolve("mnist/t10k-images-idx3-ubyte"), idx(new int[] {3, 2, 2}, PIXELS, false));
        Files.write(root.resolve("mnist/t10k-labels-idx1-ubyte"), idx(new int[] {3}, LABELS, false));
        DatasetSource source = DatasetSource.directory(root);

        RunSpec spec = new RunSpec(Dataset.MNIST, Model.MLP, List.of(4), LearningRule.BP, OptimizerKind.SGD, 1, 2, 0.1, 0, 0, 1L, 2, 2, 1, 1);
        DataSplits splits = Datasets.load(spec, source);
        assertThat(splits.train().size()).isEqualTo(2);
        assertThat(splits.train().featureCount()).isEqualTo(4);
        assertThat(splits.test().size()).isEqualTo(2);
        assertThat(splits.test().label(0)).isEqualTo(7);
        assertThat(splits.test().label(1)).isEqualTo(0);
        // test features standardised with the training statistics
        float first = (float) ((0 / 255.0 - splits.standardisation().mean()) / splits.standardisation().std());
        assertThat(splits.test().gatherFeatures(new int[] {0}, 0, 1)[0]).isEqualTo(first);

        assertThatThrownBy(() -> source.open("mnist", "nope")).isInstanceOf(java.io.FileNotFoundException.class);
    }

    static byte[] idx(int[] dims, byte[] values, boolean gz) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            OutputStream sink = gz ? new GZIPOutputStream(bytes) : bytes;
            DataOutputStream out = new DataOutputStream(sink);
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
            out.close();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
