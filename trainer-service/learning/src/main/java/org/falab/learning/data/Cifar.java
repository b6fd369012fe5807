package org.falab.learning.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of the binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky 2009). A record is the label byte(s) then 3072
 * pixel bytes: the 1024 red values of the 32 x 32 image row by row, then green, then blue, which is already the
 * C x H x W layout. CIFAR-10: {@code data_batch_1..5.bin} (10000 records each) and {@code test_batch.bin}, 1 label
 * byte. CIFAR-100: {@code train.bin} and {@code test.bin}, 2 label bytes (coarse, fine); the fine label (100 classes)
 * is used. Files are taken from the dataset folder directly or from the archive's sub-folder
 * ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}).
 */
public final class Cifar {

    /** Channels, height and width of an image. */
    public static final int[] SHAPE = {3, 32, 32};
    /** Values per image. */
    public static final int PIXELS = 3 * 32 * 32;

    private Cifar() {}

    /** The training split of {@code cifar10} or {@code cifar100}, scaled to [0, 1]. */
    public static LabelledExamples train(DatasetSource source, String dataset) throws IOException {
        if (dataset.equals("cifar10")) {
            List<String> files = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                files.add("data_batch_" + i + ".bin");
            }
            return read(source, dataset, files);
        }
        return read(source, dataset, List.of("train.bin"));
    }

    /** The test split, scaled to [0, 1]. */
    public static LabelledExamples test(DatasetSource source, String dataset) throws IOException {
        return read(source, dataset, List.of(dataset.equals("cifar10") ? "test_batch.bin" : "test.bin"));
    }

    /** Classes of a CIFAR dataset. */
    public static int classes(String dataset) {
        return switch (dataset) {
            case "cifar10" -> 10;
            case "cifar100" -> 100;
            default -> throw new IllegalArgumentException("not a CIFAR dataset: " + dataset);
        };
    }

    private static String subFolder(String dataset) {
        return dataset.equals("cifar10") ? "cifar-10-batches-bin/" : "cifar-100-binary/";
    }

    private static LabelledExamples read(DatasetSource source, String dataset, List<String> files) throws IOException {
        ByteRecords all = new ByteRecords();
        for (String file : files) {
            try (InputStream in = open(source, dataset, file)) {
                read(in, dataset.equals("cifar10") ? 1 : 2, all);
            }
        }
        return all.toExamples(classes(dataset));
    }

    private static InputStream open(DatasetSource source, String dataset, String file) throws IOException {
        try {
            return source.open(dataset, file);
        } catch (FileNotFoundException | NoSuchFileException e) {
            return source.open(dataset, subFolder(dataset) + file);
        }
    }

    /**
     * Reads records until the end of the stream.
     *
     * @param labelBytes 1 (CIFAR-10) or 2 (CIFAR-100: coarse then fine; the last one is kept)
     * @throws IOException on a truncated record
     */
    static void read(InputStream raw, int labelBytes, ByteRecords into) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        byte[] record = new byte[labelBytes + PIXELS];
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            record[0] = (byte) first;
            try {
                in.readFully(record, 1, record.length - 1);
            } catch (EOFException e) {
                throw new IOException("truncated CIFAR record after " + into.size() + " records", e);
            }
            into.add(record[labelBytes - 1] & 0xFF, record, labelBytes);
        }
    }

    /** Records collected across files. */
    static final class ByteRecords {
        private final List<byte[]> pixels = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();

        void add(int label, byte[] record, int offset) {
            byte[] p = new byte[PIXELS];
            System.arraycopy(record, offset, p, 0, PIXELS);
            pixels.add(p);
            labels.add(label);
        }

        int size() {
            return labels.size();
        }

        LabelledExamples toExamples(int classes) {
            int n = labels.size();
            float[] x = new float[n * PIXELS];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                byte[] p = pixels.get(i);
                for (int k = 0; k < PIXELS; k++) {
                    x[i * PIXELS + k] = (p[k] & 0xFF) / 255f;
                }
                y[i] = labels.get(i);
            }
            return new LabelledExamples(x, y, PIXELS, classes).withImageShape(SHAPE);
        }
    }
}
