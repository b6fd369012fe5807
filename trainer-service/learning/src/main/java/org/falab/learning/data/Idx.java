package org.falab.learning.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reader for IDX files (Yann LeCun's MNIST format, also used by Fashion-MNIST), plain or gzipped.
 * Gzip is recognised by its magic bytes, not by the file name, so a mislabelled file still reads.
 */
public final class Idx {

    /** Training images, without the {@code .gz} suffix. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels, without the {@code .gz} suffix. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images, without the {@code .gz} suffix. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels, without the {@code .gz} suffix. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {}

    /**
     * Reads an unsigned-byte IDX stream, gzipped or raw. Closes nothing; the caller owns the stream.
     *
     * @throws IOException on a bad magic number, an unsupported element type or a truncated stream
     */
    public static IdxArray read(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        if ((magic >>> 16) != 0) {
            throw new IOException(String.format("not an IDX stream: magic 0x%08x", magic));
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IOException(String.format("IDX element type 0x%02x is not supported (only unsigned byte)", type));
        }
        if (rank < 1) {
            throw new IOException("IDX rank must be at least 1");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = data.readInt();
            if (dims[i] < 0) {
                throw new IOException("negative IDX dimension");
            }
            size *= dims[i];
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("IDX file too large: " + size + " values");
        }
        byte[] values = new byte[(int) size];
        data.readFully(values);
        return new IdxArray(dims, values);
    }

    /**
     * Opens {@code name + ".gz"} from the source, falling back to the raw {@code name}.
     */
    public static IdxArray read(DatasetSource source, String dataset, String name) throws IOException {
        InputStream in;
        try {
            in = source.open(dataset, name + ".gz");
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            in = source.open(dataset, name);
        }
        try (InputStream stream = in) {
            return read(stream);
        }
    }
}
