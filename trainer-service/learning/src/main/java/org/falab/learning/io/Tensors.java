package org.falab.learning.io;

import org.falab.contracts.npy.Npy;
import org.falab.contracts.npy.NpyArray;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Moves tensors between DJL arrays and the {@code .npy} format, keeping float32 as {@code <f4}. */
public final class Tensors {

    private Tensors() {}

    /** The shape of an array as ints. */
    public static int[] shape(NDArray array) {
        return Arrays.stream(array.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    }

    /** Writes the array as {@code <f8} if it is float64, else as {@code <f4}. */
    public static void writeNpy(NDArray array, OutputStream out) throws IOException {
        if (array.getDataType() == DataType.FLOAT64) {
            Npy.write(array.toDoubleArray(), shape(array), out);
        } else {
            Npy.write(array.toType(DataType.FLOAT32, false).toFloatArray(), shape(array), out);
        }
    }

    /** Overwrites the array's values in place with those read from a file of the same shape. */
    public static void copyInto(NDArray target, NpyArray source, String name) {
        if (!Arrays.equals(shape(target), source.shape())) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(source.shape())
                    + " does not match " + target.getShape());
        }
        if (target.getDataType() == DataType.FLOAT64) {
            target.set(source.data());
        } else {
            target.set(source.toFloatArray());
        }
    }
}
