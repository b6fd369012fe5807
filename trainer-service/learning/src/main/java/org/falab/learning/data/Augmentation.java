package org.falab.learning.data;

import java.util.SplittableRandom;

/**
 * The standard CIFAR training augmentation, as torchvision's {@code RandomCrop(32, padding=4)} followed by {@code
 * RandomHorizontalFlip()}: each image is padded by 4 on every side, a 32 x 32 window is cut at a uniformly drawn
 * offset (0..8 in each direction), and the result is mirrored left-right with probability ½. It acts on standardised
 * values, so the padding is the standardised value of a raw 0 per channel ({@code -mean_c/std_c}), which is what
 * padding the raw image with zeros before normalising gives. Draws come from a seeded stream, so a run's augmented
 * batches are reproducible; training batches only.
 *
 * @param channels C
 * @param height H
 * @param width W
 * @param padding pixels added on each side before the crop
 * @param padValues per channel, the value of the padding
 */
public record Augmentation(int channels, int height, int width, int padding, float[] padValues) {

    /** Crop with padding 4 and flip for images of the given C x H x W shape. */
    public static Augmentation cropAndFlip(int[] chw, Standardisation st) {
        float[] pad = st.standardisedZero();
        if (pad.length != chw[0]) {
            float[] each = new float[chw[0]];
            java.util.Arrays.fill(each, pad[0]);
            pad = each;
        }
        return new Augmentation(chw[0], chw[1], chw[2], 4, pad);
    }

    /** Augments a batch of {@code n} images (row-major N x C x H x W) in place. */
    public void applyInPlace(float[] batch, int n, SplittableRandom rng) {
        int plane = height * width;
        int size = channels * plane;
        float[] out = new float[size];
        for (int e = 0; e < n; e++) {
            int dy = rng.nextInt(2 * padding + 1) - padding; // the window's top row in the unpadded image
            int dx = rng.nextInt(2 * padding + 1) - padding;
            boolean flip = rng.nextBoolean();
            int base = e * size;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < height; i++) {
                    int si = i + dy;
                    for (int j = 0; j < width; j++) {
                        int sj = (flip ? width - 1 - j : j) + dx;
                        boolean inside = si >= 0 && si < height && sj >= 0 && sj < width;
                        out[c * plane + i * width + j] =
                                inside ? batch[base + c * plane + si * width + sj] : padValues[c];
                    }
                }
            }
            System.arraycopy(out, 0, batch, base, size);
        }
    }
}
