package org.falab.localstack;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Small MNIST-format (IDX, gzip) files for tests: 28x28 images whose class is written into their pixels, so a
 * network learns them in one epoch. Standard file names: {@link #FILES}.
 */
public final class TinyMnist {

    public static final java.util.List<String> FILES = java.util.List.of("train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /** The four files of a dataset with {@code train} and {@code test} examples, by file name. */
    public static java.util.Map<String, byte[]> dataset(int train, int test) throws IOException {
        return java.util.Map.of(FILES.get(0), images(train, 1), FILES.get(1), labels(train),
                FILES.get(2), images(test, 2), FILES.get(3), labels(test));
    }

    private TinyMnist() {
    }

    /** {@code count} gzip IDX images; example i has class i % 10. */
    public static byte[] images(int count, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < count; i++) {
                int label = i % 10;
                for (int p = 0; p < 28 * 28; p++) {
                    // a bright band in the row block of the label makes the classes learnable
                    boolean band = (p / 28) / 3 == label;
                    out.writeByte(band ? 200 + random.nextInt(56) : random.nextInt(40));
                }
            }
        }
        return bytes.toByteArray();
    }

    /** The gzip IDX labels of {@link #images}. */
    public static byte[] labels(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i % 10);
            }
        }
        return bytes.toByteArray();
    }
}
