package org.falab.analysis.rank;

/** A byte stream that is not a 2-D, C-order, little-endian float32/float64 NumPy {@code .npy} array. */
public class NpyFormatException extends RuntimeException {

    public NpyFormatException(String message) {
        super(message);
    }
}
