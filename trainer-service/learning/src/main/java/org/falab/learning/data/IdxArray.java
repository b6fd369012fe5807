package org.falab.learning.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes (the MNIST family's format).
 *
 * @param dimensions the sizes, outermost first: {@code [n, rows, cols]} for images, {@code [n]} for labels
 * @param values the bytes, row-major; read them with {@code & 0xFF}
 */
public record IdxArray(int[] dimensions, byte[] values) {

    /** The number of items along the first dimension. */
    public int count() {
        return dimensions[0];
    }

    /** The number of values per item (product of all but the first dimension). */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dimensions.length; i++) {
            size *= dimensions[i];
        }
        return size;
    }

    @Override
    public int[] dimensions() {
        return dimensions.clone();
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dimensions);
    }
}
