package org.falab.contracts.npy;

import java.util.Arrays;

/**
 * An array read from a {@code .npy} file: its shape and its values widened to {@code double}, in C
 * (row-major) order.
 *
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param data the values, row-major; {@code float} files are widened exactly
 */
public record NpyArray(int[] shape, double[] data) {

    /** Validates that the shape and the number of values agree. */
    public NpyArray {
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    /** The values narrowed to {@code float} (exact for arrays that were written as {@code <f4}). */
    public float[] toFloatArray() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (float) data[i];
        }
        return out;
    }

    /** A defensive copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other
                && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}
