package org.falab.contracts.npy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} format: the files of probe snapshots (the trainer writes them, the analysis service reads
 * them) and of checkpoint tensors, so that anyone can open them with {@code numpy.load} without our code.
 * Written as version 1.0, little-endian {@code <f4} or {@code <f8}, C order; read in versions 1.0 to 3.0.
 * The header is the magic {@code \x93NUMPY}, version
 * bytes {@code 1 0}, a little-endian uint16 header length, then a Python dict literal padded with
 * spaces and ended by {@code '\n'} so that the data starts at a multiple of 64 bytes.
 */
public final class Npy {

    /** The six magic bytes every {@code .npy} file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes a rows x cols matrix of {@code float} as {@code <f4}. */
    public static void write(float[] rowMajor, int rows, int cols, OutputStream out) throws IOException {
        write(rowMajor, new int[] {rows, cols}, out);
    }

    /** Writes a rows x cols matrix of {@code double} as {@code <f8}. */
    public static void write(double[] rowMajor, int rows, int cols, OutputStream out) throws IOException {
        write(rowMajor, new int[] {rows, cols}, out);
    }

    /** Writes {@code float} values of any shape (e.g. a 1-D bias) as {@code <f4}. */
    public static void write(float[] data, int[] shape, OutputStream out) throws IOException {
        checkSize(data.length, shape);
        out.write(header("<f4", shape));
        ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
    }

    /** Writes {@code double} values of any shape as {@code <f8}. */
    public static void write(double[] data, int[] shape, OutputStream out) throws IOException {
        checkSize(data.length, shape);
        out.write(header("<f8", shape));
        ByteBuffer buf = ByteBuffer.allocate(data.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(data);
        out.write(buf.array());
    }

    /**
     * Reads a version 1.0 or 2.0 {@code .npy} stream of {@code <f4} or {@code <f8} in C order.
     *
     * @throws IOException on a malformed header, an unsupported dtype, Fortran order or a short stream
     */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in, false);
    }

    private static NpyArray read(InputStream in, boolean matrix) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new NpyFormatException("not a .npy stream: bad magic");
            }
        }
        int major = data.readUnsignedByte();
        data.readUnsignedByte();
        int headerLength;
        if (major == 1) {
            headerLength = data.readUnsignedByte() | (data.readUnsignedByte() << 8);
        } else if (major == 2 || major == 3) {
            byte[] len = new byte[4];
            data.readFully(len);
            headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new NpyFormatException("unsupported .npy version " + major);
        }
        byte[] headerBytes = new byte[headerLength];
        data.readFully(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, "descr");
        if ("True".equals(group(ORDER, header, "fortran_order"))) {
            throw new NpyFormatException("Fortran-ordered .npy is not supported");
        }
        int[] shape = parseShape(group(SHAPE, header, "shape"));
        if (!"<f4".equals(descr) && !"<f8".equals(descr)) {
            throw new NpyFormatException("unsupported dtype '" + descr + "' (want '<f4' or '<f8')");
        }
        if (matrix && shape.length != 2) {
            throw new NpyFormatException("not a 2-D array: shape " + java.util.Arrays.toString(shape));
        }
        if (matrix && (shape[0] < 1 || shape[1] < 1)) {
            throw new NpyFormatException("empty matrix " + shape[0] + "x" + shape[1]);
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int n = Math.toIntExact(count);
        double[] values = new double[n];
        switch (descr) {
            case "<f4" -> {
                byte[] raw = new byte[Math.multiplyExact(n, Float.BYTES)];
                data.readFully(raw);
                var fb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = fb.get(i);
                }
            }
            case "<f8" -> {
                byte[] raw = new byte[Math.multiplyExact(n, Double.BYTES)];
                data.readFully(raw);
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
            }
            default -> throw new NpyFormatException("unsupported dtype '" + descr + "' (only <f4 and <f8)");
        }
        return new NpyArray(shape, values);
    }

    /**
     * Reads a whole {@code .npy} file holding a 2-D matrix, as a snapshot signal is: both dimensions at least 1 and
     * exactly the bytes the shape needs after the header.
     *
     * @throws NpyFormatException naming what is wrong
     */
    public static NpyArray readMatrix(byte[] npy) throws NpyFormatException {
        if (npy.length < 10) {
            throw new NpyFormatException("too short for a .npy file: " + npy.length + " bytes");
        }
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(npy);
        NpyArray array;
        try {
            array = read(in, true);
        } catch (java.io.EOFException e) {
            throw new NpyFormatException("truncated .npy file: data length " + npy.length + " bytes is too short");
        } catch (NpyFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new NpyFormatException(e.getMessage());
        }
        if (in.available() > 0) {
            throw new NpyFormatException("data length: " + in.available() + " bytes more than the shape "
                    + java.util.Arrays.toString(array.shape()) + " needs");
        }
        return array;
    }

    /** The full header (magic to the final newline) for a v1.0 file; its length is a multiple of 64. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                dims.append(shape.length == 1 ? "," : ", ");
            }
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        // magic(6) + version(2) + length(2) + dict + padding + '\n' must be a multiple of 64
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        if (text.length() > 0xFFFF) {
            throw new IllegalArgumentException("shape too long for a v1.0 header");
        }
        byte[] dictBytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + dictBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictBytes.length).put(dictBytes);
        return buf.array();
    }

    private static void checkSize(int length, int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension");
            }
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException("shape needs " + size + " values, got " + length);
        }
    }

    private static String group(Pattern p, String header, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException("malformed .npy header, no '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static int[] parseShape(String inner) throws IOException {
        List<Integer> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String t = part.strip();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1); // Python 2 longs
            }
            if (!t.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(t));
                } catch (NumberFormatException e) {
                    throw new NpyFormatException("malformed .npy shape: (" + inner + ")", e);
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
