package org.falab.analysis.rank;

import org.ejml.data.DMatrixRMaj;
import org.falab.contracts.npy.Npy;
import org.falab.contracts.npy.NpyArray;
import org.falab.contracts.npy.NpyFormatException;

/** A snapshot's {@code .npy} matrix (the contract's strict 2-D reading) as a double-precision EJML matrix. */
public final class NpyMatrices {

    private NpyMatrices() {
    }

    /** float32 files are widened to double exactly. */
    public static DMatrixRMaj read(byte[] npy) throws NpyFormatException {
        NpyArray array = Npy.readMatrix(npy);
        return DMatrixRMaj.wrap(array.shape()[0], array.shape()[1], array.data());
    }
}
