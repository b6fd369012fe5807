package org.falab.learning.layers;

import java.util.SplittableRandom;

/**
 * Draws the initial values of a weight-shaped tensor. Pluggable so that feedback matrices and
 * weights use the same scheme (as biotorch does) and new schemes (kaiming) slot in.
 */
@FunctionalInterface
public interface Initializer {

    /**
     * @param rows fan-out (output features)
     * @param cols fan-in (input features)
     * @return {@code rows x cols} values, row-major
     */
    double[] sample(int rows, int cols, SplittableRandom rng);

    /** Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), biotorch's default. */
    Initializer XAVIER_UNIFORM = (rows, cols, rng) -> {
        double limit = Math.sqrt(6.0 / (rows + cols));
        double[] out = new double[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = (2 * rng.nextDouble() - 1) * limit;
        }
        return out;
    };

    /** The scheme with the given name ({@code "xavier-uniform"}). */
    static Initializer byName(String name) {
        return switch (name) {
            case "xavier-uniform" -> XAVIER_UNIFORM;
            default -> throw new IllegalArgumentException("unknown initializer '" + name + "'");
        };
    }
}
