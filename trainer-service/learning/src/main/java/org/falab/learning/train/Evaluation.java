package org.falab.learning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import org.falab.learning.data.Batch;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.models.Network;

/**
 * Test accuracy. Training and {@link org.falab.learning.checkpoint.Checkpoints#evaluate} both use
 * this code with the same batch size, so a checkpoint reproduces the reported accuracy exactly.
 */
public final class Evaluation {

    /** Examples per forward pass during evaluation. */
    public static final int BATCH = 1000;

    private Evaluation() {}

    /** Fraction of examples whose largest logit is at their label; 0 for an empty set. */
    public static double accuracy(Network network, LabelledExamples examples, NDManager manager, DataType type) {
        if (examples.size() == 0) {
            return 0;
        }
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < order.length; from += BATCH) {
            int to = Math.min(order.length, from + BATCH);
            try (NDScope scope = new NDScope()) {
                Batch batch = Batch.of(manager, examples, order, from, to, type);
                // outside a GradientCollector the engine records no graph
                NDArray logits = network.forward(batch.inputs());
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == batch.labels()[i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / examples.size();
    }
}
