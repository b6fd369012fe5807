package org.falab.learning.layers;

import java.util.SplittableRandom;

/**
 * Draws the initial values of a weight-shaped tensor. Pluggable so that feedback matrices and
 * weights use the same schemes (as biotorch does). Fans follow PyTorch: for a conv kernel
 * (out, in, kh, kw) fanIn = in·kh·kw and fanOut = out·kh·kw.
 */
@FunctionalInterface
public interface Initializer {

    /**
     * @param count number of values
     * @param fanIn input fan
     * @param fanOut output fan
     * @return {@code count} values, row-major in the tensor's shape
     */
    double[] sample(int count, int fanIn, int fanOut, SplittableRandom rng);

    /** Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), biotorch's default. */
    Initializer XAVIER_UNIFORM = (count, fanIn, fanOut, rng) -> uniform(count, Math.sqrt(6.0 / (fanIn + fanOut)), rng);

    /**
     * He/Kaiming uniform as {@code torch.nn.init.kaiming_uniform_} with its defaults for ReLU
     * (gain sqrt(2), fan-in mode): U(-a, a) with a = sqrt(6 / fanIn).
     */
    Initializer KAIMING_UNIFORM = (count, fanIn, fanOut, rng) -> uniform(count, Math.sqrt(6.0 / fanIn), rng);

    /** The bound a of the U(-a, a) this scheme draws from, for engine-side draws (brSF magnitudes). */
    static double bound(Initializer init, int fanIn, int fanOut) {
        return init == KAIMING_UNIFORM ? Math.sqrt(6.0 / fanIn) : Math.sqrt(6.0 / (fanIn + fanOut));
    }

    /** The scheme with the given name: {@code xavier}/{@code xavier-uniform} or {@code kaiming}/{@code kaiming-uniform}. */
    static Initializer byName(String name) {
        return switch (name) {
            case "xavier", "xavier-uniform" -> XAVIER_UNIFORM;
            case "kaiming", "kaiming-uniform" -> KAIMING_UNIFORM;
            default -> throw new IllegalArgumentException("unknown initializer '" + name + "'");
        };
    }

    private static double[] uniform(int count, double limit, SplittableRandom rng) {
        double[] out = new double[count];
        for (int i = 0; i < out.length; i++) {
            out[i] = (2 * rng.nextDouble() - 1) * limit;
        }
        return out;
    }
}
