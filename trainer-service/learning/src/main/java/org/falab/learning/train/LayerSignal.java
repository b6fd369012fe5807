package org.falab.learning.train;

/**
 * One matrix recorded by a probe.
 *
 * @param layer layer name, {@code "fc1"}, {@code "fc2"}, ...
 * @param layerIndex 0-based position of the layer
 * @param quantity what the matrix is, one of {@link org.falab.contracts.events.Quantities#ALL}; {@code "error-signal"}: δ = ∂L/∂(pre-activation output),
 *     L the mean cross-entropy over the probe batch, as the run's learning rule computes it
 * @param rows rows of the matrix (see layout)
 * @param cols columns of the matrix (see layout)
 * @param layout what a row and a column are, e.g. {@code "examples x features"}, {@code "positions x channels"},
 *     {@code "out x in*kh*kw"}
 * @param values row-major, {@code rows x cols}
 */
public record LayerSignal(String layer, int layerIndex, String quantity, int rows, int cols, String layout,
        float[] values) {

    /** The layout of linear-layer signals. */
    public static final String EXAMPLES_X_FEATURES = "examples x features";
    /** The default layout of conv-layer signals: (N·H·W) x C, one row per example and position. */
    public static final String POSITIONS_X_CHANNELS = "positions x channels";
    /** The {@code examples} layout of conv-layer signals: N x (C·H·W). */
    public static final String EXAMPLES_X_CHW = "examples x channels*height*width";

    /** Checks that the values fill the matrix. */
    public LayerSignal {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(layer + ": " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
    }
}
