package org.falab.contracts.npy;

import java.io.IOException;

/** Bytes that are not a {@code .npy} file falab reads: bad magic, another dtype, Fortran order, a wrong length. */
public class NpyFormatException extends IOException {

    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
