package org.falab.learning.models;

/**
 * The shape of one input example: C x H x W (an MLP sees C·H·W features).
 *
 * @param channels C
 * @param height H
 * @param width W
 */
public record ImageShape(int channels, int height, int width) {

    /** Checks positivity. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("invalid image shape " + channels + "x" + height + "x" + width);
        }
    }

    /** C·H·W. */
    public int features() {
        return channels * height * width;
    }
}
