package org.falab.trainer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small MNIST-format (IDX, gzip) files for tests: 28x28 images whose class is written into their pixels. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] images(int count, long seed) throws IOException {
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

    static byte[] labels(int count) throws IOException {
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
