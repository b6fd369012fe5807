package org.falab.analysis.rank;

/** Test helper: little-endian float64 {@code .npy} (format 1.0, C order) of a matrix given as rows. */
public final class NpyFiles {

    private NpyFiles() {
    }

    public static byte[] f8(double[][] rows) {
        int cols = rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return org.falab.contracts.npy.NpyMatrixTest.npy(1, "<f8", false, "(" + rows.length + ", " + cols + ")", flat);
    }
}
