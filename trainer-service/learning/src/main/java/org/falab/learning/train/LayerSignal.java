package org.falab.learning.train;

/**
 * One matrix recorded by a probe.
 *
 * @param layer layer name, {@code "fc1"}, {@code "fc2"}, ...
 * @param layerIndex 0-based position of the layer
 * @param quantity what the matrix is; {@code "error-signal"}: δ = ∂L/∂(pre-activation output),
 *     L the mean cross-entropy over the probe batch, as the run's learning rule computes it
 * @param rows examples in the probe batch
 * @param cols the layer's output width
 * @param layout {@code "examples x features"}
 * @param values row-major, {@code rows x cols}
 */
public record LayerSignal(String layer, int layerIndex, String quantity, int rows, int cols, String layout,
        float[] values) {

    /** The quantity name of error signals. */
    public static final String ERROR_SIGNAL = "error-signal";
    /** The layout of linear-layer signals. */
    public static final String EXAMPLES_X_FEATURES = "examples x features";

    /** Checks that the values fill the matrix. */
    public LayerSignal {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(layer + ": " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
    }
}
