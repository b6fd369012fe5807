package org.falab.learning.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Training examples copied once onto the run's device, so that a step gathers its shuffled batch there in one engine
 * call (as {@code x[rows]} does in a PyTorch loop) instead of assembling it in Java and copying it over: on a GPU the
 * batch never crosses the bus, on a CPU it saves the Java gather and two copies. The gathered rows are the same
 * values {@link Batch#of} makes, so a run's numbers do not depend on which of the two made its batches. Augmented
 * batches are cut in Java and do not use this.
 */
public final class DeviceExamples implements AutoCloseable {

    private final LabelledExamples examples;
    private final NDManager manager;
    private final NDArray inputs;
    private final NDArray targets;

    private DeviceExamples(LabelledExamples examples, NDManager manager, NDArray inputs, NDArray targets) {
        this.examples = examples;
        this.manager = manager;
        this.inputs = inputs;
        this.targets = targets;
    }

    /** Every example of {@code examples} on the manager's device in {@code type}: inputs and one-hot targets. */
    public static DeviceExamples of(LabelledExamples examples, NDManager manager, DataType type) {
        int[] all = new int[examples.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (NDScope scope = new NDScope()) {
            Batch batch = Batch.of(manager, examples, all, 0, all.length, type);
            // they outlive the scope (and every step's): closed with this object
            NDScope.unregister(batch.inputs(), batch.targets());
            return new DeviceExamples(examples, manager, batch.inputs(), batch.targets());
        }
    }

    /** Rows {@code order[from..to)}, as {@link Batch#of} makes them. */
    public Batch batch(int[] order, int from, int to) {
        long[] rows = new long[to - from];
        for (int i = from; i < to; i++) {
            rows[i - from] = order[i];
        }
        NDArray index = manager.create(rows, new Shape(rows.length));
        return new Batch(inputs.get(new NDIndex("{}", index)), targets.get(new NDIndex("{}", index)),
                examples.gatherLabels(order, from, to));
    }

    @Override
    public void close() {
        inputs.close();
        targets.close();
    }
}
