package org.falab.contracts.npy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.falab.contracts.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    private static final float[] F = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, 0f, -0f};
    private static final double[] D = {Math.PI, -1e-300, 42, 1.0 / 3, Double.MIN_VALUE, -7};

    @Test
    void floatMatrixRoundTripsAndHasASpecHeader() throws IOException {
        byte[] bytes = write(F, 2, 3);
        Header h = header(bytes);
        assertThat(h.dict).isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        assertThat(h.dataOffset % 64).isZero();
        assertThat(bytes.length - h.dataOffset).isEqualTo(6 * 4);
        // little-endian float32 values right after the header
        assertThat(ByteBuffer.wrap(bytes, h.dataOffset, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(1.5f);

        NpyArray back = Npy.read(new ByteArrayInputStream(bytes));
        assertThat(back.shape()).containsExactly(2, 3);
        assertThat(back.toFloatArray()).containsExactly(F);
    }

    @Test
    void doubleMatrixRoundTripsExactly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(D, 3, 2, out);
        byte[] bytes = out.toByteArray();
        Header h = header(bytes);
        assertThat(h.dict).isEqualTo("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }");
        assertThat(h.dataOffset % 64).isZero();
        NpyArray back = Npy.read(new ByteArrayInputStream(bytes));
        assertThat(back.shape()).containsExactly(3, 2);
        assertThat(back.data()).containsExactly(D);
    }

    @Test
    void oneDimensionalShapeUsesPythonTupleSyntax() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(new float[] {1, 2, 3}, new int[] {3}, out);
        assertThat(header(out.toByteArray()).dict).contains("'shape': (3,)");
        assertThat(Npy.read(new ByteArrayInputStream(out.toByteArray())).shape()).containsExactly(3);
    }

    @Test
    void numpyLoadsWhatWeWrite(@TempDir Path dir) throws Exception {
        String python = Tools.requirePythonWithNumpy();
        Path f32 = dir.resolve("f.npy");
        Path f64 = dir.resolve("d.npy");
        Files.write(f32, write(F, 2, 3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(D, 3, 2, out);
        Files.write(f64, out.toByteArray());
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1]); b = np.load(sys.argv[2])\n"
                + "assert a.dtype == np.float32 and a.shape == (2, 3) and a.flags['C_CONTIGUOUS']\n"
                + "assert (a == np.array([[1.5, -2.25, 3e-8], [np.finfo(np.float32).max, 0, -0.0]], dtype=np.float32)).all()\n"
                + "assert b.dtype == np.float64 and b.shape == (3, 2)\n"
                + "assert b[0, 0] == np.pi and b[1, 1] == 1/3 and b[2, 0] == 5e-324 and b[2, 1] == -7\n"
                + "print('ok')\n";
        Process p = new ProcessBuilder(python, "-c", script, f32.toString(), f64.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.strip()).isEqualTo("ok");
    }

    @Test
    void rejectsBadMagic() {
        byte[] bytes = write(F, 2, 3);
        bytes[1] = 'X';
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
    }

    private record Header(String dict, int dataOffset) {}

    /** Parses the header by the spec: magic, version 1.0, uint16 LE length, dict, padding, '\n'. */
    private static Header header(byte[] bytes) {
        assertThat(new byte[] {bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]})
                .containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y');
        assertThat(bytes[6]).as("major version").isEqualTo((byte) 1);
        assertThat(bytes[7]).as("minor version").isEqualTo((byte) 0);
        int len = (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8);
        int offset = 10 + len;
        String text = new String(bytes, 10, len, StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\n");
        return new Header(text.stripTrailing(), offset);
    }

    private static byte[] write(float[] v, int rows, int cols) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(v, rows, cols, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

}
