package org.falab.learning.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Batches gathered on the device are the batches {@link Batch#of} assembles in Java, value for value. */
class DeviceExamplesTest {

    private static LabelledExamples examples(int n, int features, int classes) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return new LabelledExamples(x, y, features, classes);
    }

    private static int[] shuffled(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) ((i * 37L + 11) % n);
        }
        return order;
    }

    @Test
    void aGatheredBatchHoldsTheRowsOfItsOrder() {
        LabelledExamples train = examples(50, 12, 4);
        int[] order = shuffled(50);
        try (NDManager manager = NDManager.newBaseManager();
                DeviceExamples onDevice = DeviceExamples.of(train, manager, DataType.FLOAT32);
                NDScope scope = new NDScope()) {
            // the last, short batch too
            for (int from : new int[] {0, 16, 48}) {
                int to = Math.min(50, from + 16);
                Batch gathered = onDevice.batch(order, from, to);
                Batch assembled = Batch.of(manager, train, order, from, to, DataType.FLOAT32);
                assertThat(gathered.inputs().getShape()).isEqualTo(new Shape(to - from, 12));
                assertThat(gathered.inputs().toFloatArray()).containsExactly(assembled.inputs().toFloatArray());
                assertThat(gathered.targets().toFloatArray()).containsExactly(assembled.targets().toFloatArray());
                assertThat(gathered.labels()).containsExactly(assembled.labels());
                assertThat(gathered.inputs().getDevice()).isEqualTo(manager.getDevice());
            }
        }
    }

    @Test
    void imagesKeepTheirShape() {
        LabelledExamples train = examples(20, 2 * 3 * 3, 5).withImageShape(new int[] {2, 3, 3});
        int[] order = shuffled(20);
        try (NDManager manager = NDManager.newBaseManager();
                DeviceExamples onDevice = DeviceExamples.of(train, manager, DataType.FLOAT32);
                NDScope scope = new NDScope()) {
            Batch gathered = onDevice.batch(order, 4, 12);
            assertThat(gathered.inputs().getShape()).isEqualTo(new Shape(8, 2, 3, 3));
            assertThat(gathered.inputs().toFloatArray())
                    .containsExactly(Batch.of(manager, train, order, 4, 12, DataType.FLOAT32).inputs().toFloatArray());
        }
    }
}
