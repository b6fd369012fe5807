package org.falab.learning.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A batch on the engine: inputs and one-hot targets, plus the labels on the Java side for counting
 * correct predictions without another copy.
 *
 * @param inputs examples x features
 * @param targets examples x classes, one-hot
 * @param labels class per example
 */
public record Batch(NDArray inputs, NDArray targets, int[] labels) {

    /**
     * Rows {@code order[from..to)} of the examples, created on the manager in the given type: N x C x H x W if the
     * examples are images ({@link LabelledExamples#imageShape()}), N x features otherwise.
     */
    public static Batch of(NDManager manager, LabelledExamples examples, int[] order, int from, int to,
            DataType type) {
        return of(manager, examples, order, from, to, type, null, null);
    }

    /** As {@link #of(NDManager, LabelledExamples, int[], int, int, DataType)}, augmented if {@code augmentation} is set. */
    public static Batch of(NDManager manager, LabelledExamples examples, int[] order, int from, int to,
            DataType type, Augmentation augmentation, java.util.SplittableRandom rng) {
        int n = to - from;
        float[] x = examples.gatherFeatures(order, from, to);
        if (augmentation != null) {
            augmentation.applyInPlace(x, n, rng);
        }
        int[] labels = examples.gatherLabels(order, from, to);
        float[] oneHot = new float[n * examples.classCount()];
        for (int i = 0; i < n; i++) {
            oneHot[i * examples.classCount() + labels[i]] = 1f;
        }
        int[] chw = examples.imageShape();
        NDArray inputs = manager.create(x, chw == null ? new Shape(n, examples.featureCount())
                : new Shape(n, chw[0], chw[1], chw[2]));
        NDArray targets = manager.create(oneHot, new Shape(n, examples.classCount()));
        if (type != DataType.FLOAT32) {
            inputs = inputs.toType(type, false);
            targets = targets.toType(type, false);
        }
        return new Batch(inputs, targets, labels);
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }
}
