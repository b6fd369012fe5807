package org.falab.learning.data;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR binary files written here in the real format: labels, channel order, folders, statistics, augmentation. */
class CifarTest {

    @TempDir
    Path root;

    /** A record whose pixel (c, i, j) is (label + 10c + i + j) mod 256. */
    private static byte[] records(int n, int labelBytes, int firstLabel) {
        byte[] out = new byte[n * (labelBytes + Cifar.PIXELS)];
        for (int r = 0; r < n; r++) {
            int base = r * (labelBytes + Cifar.PIXELS);
            int label = firstLabel + r;
            if (labelBytes == 2) {
                out[base] = (byte) (label / 5); // coarse
            }
            out[base + labelBytes - 1] = (byte) label;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        out[base + labelBytes + c * 1024 + i * 32 + j] = (byte) ((label + 10 * c + i + j) % 256);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void cifar10FromTheArchiveSubFolderInFileOrder() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar10/cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(2, 1, 2 * (b - 1)));
        }
        Files.write(dir.resolve("test_batch.bin"), records(3, 1, 7));
        LabelledExamples train = Cifar.train(DatasetSource.directory(root), "cifar10");
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.classCount()).isEqualTo(10);
        assertThat(train.imageShape()).containsExactly(3, 32, 32);
        for (int e = 0; e < 10; e++) {
            assertThat(train.label(e)).isEqualTo(e);
        }
        float[] x = train.gatherFeatures(new int[] {3}, 0, 1);
        // channel 1 (green), row 2, column 5 of the record with label 3
        assertThat(x[1024 + 2 * 32 + 5]).isEqualTo((3 + 10 + 2 + 5) / 255f);
        assertThat(Cifar.test(DatasetSource.directory(root), "cifar10").size()).isEqualTo(3);
    }

    @Test
    void cifar100UsesTheFineLabelAndFilesDirectlyInTheFolder() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar100"));
        Files.write(dir.resolve("train.bin"), records(4, 2, 96));
        Files.write(dir.resolve("test.bin"), records(1, 2, 42));
        LabelledExamples train = Cifar.train(DatasetSource.directory(root), "cifar100");
        assertThat(train.classCount()).isEqualTo(100);
        assertThat(List.of(train.label(0), train.label(3))).containsExactly(96, 99);
        assertThat(Cifar.test(DatasetSource.directory(root), "cifar100").label(0)).isEqualTo(42);
        assertThat(Datasets.classes(Dataset.CIFAR100)).isEqualTo(100);
    }

    @Test
    void aTruncatedRecordFails() {
        byte[] bytes = records(2, 1, 0);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 10);
        assertThatThrownBy(() -> Cifar.read(new ByteArrayInputStream(cut), 1, new Cifar.ByteRecords()))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void loadStandardisesPerChannelAndGivesImageBatchesToNonMlpModels() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar10"));
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(2, 1, 2 * (b - 1)));
        }
        Files.write(dir.resolve("test_batch.bin"), records(2, 1, 0));
        RunSpec cnn = spec("cnn");
        DataSplits splits = Datasets.load(cnn, DatasetSource.directory(root));
        Standardisation st = splits.standardisation();
        assertThat(st.channels()).isEqualTo(3);
        // channel c of every record is shifted by 10c: same std, means 10/255 apart
        assertThat(st.means()[1] - st.means()[0]).isCloseTo(10 / 255.0, within(1e-6));
        assertThat(st.stds()[2]).isCloseTo(st.stds()[0], within(1e-6));
        float[] all = splits.train().gatherFeatures(identity(10), 0, 10);
        double mean = 0;
        for (int e = 0; e < 10; e++) {
            for (int k = 2048; k < 3072; k++) {
                mean += all[e * 3072 + k];
            }
        }
        assertThat(mean / (10 * 1024)).isCloseTo(0, within(1e-5)); // blue is centred
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = Batch.of(m, splits.train(), identity(10), 0, 4, DataType.FLOAT32);
            assertThat(b.inputs().getShape()).isEqualTo(new Shape(4, 3, 32, 32));
            Batch flat = Batch.of(m, Datasets.load(spec("mlp"), DatasetSource.directory(root)).train(), identity(10),
                    0, 4, DataType.FLOAT32);
            assertThat(flat.inputs().getShape()).isEqualTo(new Shape(4, 3072));
        }
        assertThat(Datasets.augmentation(cnn, st)).isNotNull();
        RunSpec off = new RunSpec(Dataset.CIFAR10, Model.CNN, List.of(16), LearningRule.BP, OptimizerKind.SGD, 1, 4, 0.01, 0.0, 0.0, 1L, null, null, 1, 4, null,
                null, null, null, null, null, null, null, false, null);
        assertThat(Datasets.augmentation(off, st)).isNull();
    }

    @Test
    void augmentationIsSeededAndCropsWithPaddingAndFlips() {
        Standardisation st = new Standardisation(new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
        Augmentation aug = Augmentation.cropAndFlip(Cifar.SHAPE, st);
        float[] image = new float[Cifar.PIXELS];
        for (int k = 0; k < image.length; k++) {
            image[k] = k;
        }
        float[] a = batchOf(image, 16);
        float[] b = batchOf(image, 16);
        aug.applyInPlace(a, 16, Seeds.stream(5, "augment/step-1"));
        aug.applyInPlace(b, 16, Seeds.stream(5, "augment/step-1"));
        assertThat(a).isEqualTo(b);
        float[] c = batchOf(image, 16);
        aug.applyInPlace(c, 16, Seeds.stream(5, "augment/step-2"));
        assertThat(c).isNotEqualTo(a);

        boolean sawFlip = false;
        for (int e = 0; e < 16; e++) {
            int base = e * Cifar.PIXELS;
            // recover the crop offset and flip from a pixel that is inside for every offset: (c=0, i=16, j=16)
            float v = a[base + 16 * 32 + 16];
            int si = (int) v / 32;
            int sj = (int) v % 32;
            int dy = si - 16;
            boolean flip = a[base + 16 * 32 + 17] < v;
            int dx = flip ? sj - 15 : sj - 16;
            sawFlip |= flip;
            assertThat(dy).isBetween(-4, 4);
            assertThat(dx).isBetween(-4, 4);
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        int ii = i + dy;
                        int jj = (flip ? 31 - j : j) + dx;
                        float expected = ii < 0 || ii > 31 || jj < 0 || jj > 31 ? -2f : image[ch * 1024 + ii * 32 + jj];
                        assertThat(a[base + ch * 1024 + i * 32 + j]).isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(sawFlip).isTrue();
    }

    private static float[] batchOf(float[] image, int n) {
        float[] out = new float[n * image.length];
        for (int e = 0; e < n; e++) {
            System.arraycopy(image, 0, out, e * image.length, image.length);
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static RunSpec spec(String model) {
        return new RunSpec(Dataset.CIFAR10, JsonEnums.of(Model.class, model), List.of(16), LearningRule.BP, OptimizerKind.SGD, 1, 4, 0.01, 0, 0, 1L, null, null, 1, 4);
    }
}
