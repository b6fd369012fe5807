package org.falab.contracts.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The strict reading of snapshot matrices ({@link Npy#readMatrix}), against files laid out as NumPy writes them. */
public class NpyMatrixTest {

    @Test
    void readsVersion1Float64InCOrder() throws Exception {
        NpyArray m = Npy.readMatrix(npy(1, "<f8", false, "(2, 3)", new double[] {1, 2, 3, 4, 5, 6}));
        assertThat(m.shape()[0]).isEqualTo(2);
        assertThat(m.shape()[1]).isEqualTo(3);
        assertThat(m.data()[0 * 3 + 2]).isEqualTo(3);
        assertThat(m.data()[1 * 3 + 0]).isEqualTo(4);
    }

    @Test
    void readsVersion2Float32Exactly() throws Exception {
        NpyArray m = Npy.readMatrix(npy(2, "<f4", false, "(3, 1)", new double[] {0.1, -2.5, 1e-30}));
        assertThat(m.shape()[0]).isEqualTo(3);
        assertThat(m.shape()[1]).isEqualTo(1);
        assertThat(m.data()[0]).isEqualTo((double) 0.1f);
        assertThat(m.data()[1]).isEqualTo(-2.5);
        assertThat(m.data()[2]).isEqualTo((double) 1e-30f);
    }

    @Test
    void rejectsWhatTheContractExcludes() {
        double[] six = {1, 2, 3, 4, 5, 6};
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, ">f8", false, "(2, 3)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("dtype");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<i8", false, "(2, 3)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("dtype");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", true, "(2, 3)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("Fortran");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", false, "(6,)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("2-D");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", false, "(1, 2, 3)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("2-D");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", false, "(2, 4)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("data length");
        assertThatThrownBy(() -> Npy.readMatrix("not json, not npy".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", false, "(2, 2)", six)))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("more than the shape");
        assertThatThrownBy(() -> Npy.readMatrix(npy(1, "<f8", false, "(0, 3)", new double[0])))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("empty matrix");
    }

    /** A .npy file as numpy.lib.format writes it (header padded so the data starts at a multiple of 64). */
    public static byte[] npy(int major, String descr, boolean fortran, String shape, double[] values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        int itemSize = descr.endsWith("4") ? 4 : 8;
        ByteBuffer data = ByteBuffer.allocate(values.length * itemSize)
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (itemSize == 4) {
                data.putFloat((float) v);
            } else if (descr.contains("i")) {
                data.putLong((long) v);
            } else {
                data.putDouble(v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) header.length());
        } else {
            len.putInt(header.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
