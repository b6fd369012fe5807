package org.falab.learning.models;

import ai.djl.ndarray.NDArray;

/** Input shaping shared by the image models. */
final class Images {

    private Images() {}

    /** N x C x H x W as given, or a 2-D batch of flattened C·H·W rows reshaped to it. */
    static NDArray asImages(NDArray x, ImageShape shape) {
        if (x.getShape().dimension() == 4) {
            return x;
        }
        if (x.getShape().dimension() == 2 && x.getShape().get(1) == shape.features()) {
            return x.reshape(x.getShape().get(0), shape.channels(), shape.height(), shape.width());
        }
        throw new IllegalArgumentException("expected N x " + shape.channels() + " x " + shape.height() + " x "
                + shape.width() + " images (or N x " + shape.features() + "), got " + x.getShape());
    }
}
