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

    /** Rows {@code order[from..to)} of the examples, created on the manager in the given type. */
    public static Batch of(NDManager manager, LabelledExamples examples, int[] order, int from, int to,
            DataType type) {
        int n = to - from;
        float[] x = examples.gatherFeatures(order, from, to);
        int[] labels = examples.gatherLabels(order, from, to);
        float[] oneHot = new float[n * examples.classCount()];
        for (int i = 0; i < n; i++) {
            oneHot[i * examples.classCount() + labels[i]] = 1f;
        }
        NDArray inputs = manager.create(x, new Shape(n, examples.featureCount()));
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
