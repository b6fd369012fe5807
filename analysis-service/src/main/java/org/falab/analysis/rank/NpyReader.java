package org.falab.analysis.rank;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ejml.data.DMatrixRMaj;

/**
 * Reads a NumPy {@code .npy} file holding a 2-D matrix into a double-precision EJML matrix.
 *
 * <p>Format (numpy.lib.format): magic {@code \x93NUMPY}, major and minor version bytes, the header length
 * (little-endian uint16 for version 1.x, uint32 for 2.x and 3.x), an ASCII (3.x: UTF-8) Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (rows, cols), }} padded with spaces, then the raw data.
 *
 * <p>Accepted: {@code descr} {@code '<f4'} or {@code '<f8'}, {@code fortran_order: False}, a 2-D shape with both
 * dimensions at least 1. Anything else throws {@link NpyFormatException}. float32 values are widened to double
 * exactly.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** Parses a whole {@code .npy} file. */
    public static DMatrixRMaj read(byte[] npy) {
        if (npy.length < 10) {
            throw new NpyFormatException("too short for a .npy file: " + npy.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (npy[i] != MAGIC[i]) {
                throw new NpyFormatException("not a .npy file (bad magic)");
            }
        }
        int major = npy[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLength = buf.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (npy.length < 12) {
                    throw new NpyFormatException("truncated .npy header");
                }
                headerLength = buf.getInt(8) & 0xffffffffL;
                headerStart = 12;
            }
            default -> throw new NpyFormatException("unsupported .npy version " + major + "." + (npy[7] & 0xff));
        }
        if (headerStart + headerLength > npy.length) {
            throw new NpyFormatException("truncated .npy header");
        }
        String header = new String(npy, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, "descr");
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new NpyFormatException("unsupported dtype '" + descr + "' (want '<f4' or '<f8')");
        };
        if (!"False".equals(group(FORTRAN, header, "fortran_order"))) {
            throw new NpyFormatException("Fortran-order arrays are not supported (want C order)");
        }
        String[] dims = group(SHAPE, header, "shape").split(",");
        long[] shape = new long[2];
        int n = 0;
        for (String d : dims) {
            String t = d.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (n == 2) {
                throw new NpyFormatException("not a 2-D array: shape (" + group(SHAPE, header, "shape") + ")");
            }
            try {
                shape[n++] = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new NpyFormatException("bad shape entry '" + t + "'");
            }
        }
        if (n != 2) {
            throw new NpyFormatException("not a 2-D array: shape (" + group(SHAPE, header, "shape") + ")");
        }
        if (shape[0] < 1 || shape[1] < 1) {
            throw new NpyFormatException("empty matrix " + shape[0] + "x" + shape[1]);
        }
        if (shape[0] * shape[1] > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException("matrix too large: " + shape[0] + "x" + shape[1]);
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        int count = rows * cols;
        long dataStart = headerStart + headerLength;
        long expected = (long) count * itemSize;
        if (npy.length - dataStart != expected) {
            throw new NpyFormatException("data length " + (npy.length - dataStart) + " bytes, expected "
                    + expected + " for " + rows + "x" + cols + " " + descr);
        }
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        double[] data = m.data;
        buf.position((int) dataStart);
        if (itemSize == 8) {
            buf.asDoubleBuffer().get(data, 0, count);
        } else {
            var floats = buf.asFloatBuffer();
            for (int i = 0; i < count; i++) {
                data[i] = floats.get(i);
            }
        }
        return m;
    }

    private static String group(Pattern p, String header, String what) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException("header has no '" + what + "': " + header.trim());
        }
        return m.group(1);
    }
}
