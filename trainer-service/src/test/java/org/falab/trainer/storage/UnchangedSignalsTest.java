package org.falab.trainer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.falab.contracts.events.Quantities;
import org.falab.learning.train.LayerSignal;
import org.junit.jupiter.api.Test;

/** Which repeated probe matrices a snapshot references instead of storing again. */
class UnchangedSignalsTest {

    private static LayerSignal signal(int layerIndex, String quantity, float... values) {
        return new LayerSignal("fc" + (layerIndex + 1), layerIndex, quantity, 2, values.length / 2,
                LayerSignal.EXAMPLES_X_FEATURES, values);
    }

    @Test
    void aFeedbackMatrixWithTheSameValuesIsReferencedWhereItWasStored() {
        UnchangedSignals unchanged = new UnchangedSignals();
        LayerSignal b = signal(1, Quantities.FEEDBACK, 1, 2, 3, 4);
        assertThat(unchanged.storedKey(b)).as("nothing stored yet").isEmpty();
        unchanged.stored(b, "runs/r/snapshots/step-00000100/fc2.feedback.npy");

        assertThat(unchanged.storedKey(signal(1, Quantities.FEEDBACK, 1, 2, 3, 4)))
                .contains("runs/r/snapshots/step-00000100/fc2.feedback.npy");
        assertThat(unchanged.storedKey(signal(1, Quantities.FEEDBACK, 1, 2, 3, 4.0001f))).as("one value differs")
                .isEmpty();
        assertThat(unchanged.storedKey(signal(0, Quantities.FEEDBACK, 1, 2, 3, 4))).as("another layer's").isEmpty();
    }

    @Test
    void aChangedMatrixReplacesTheRememberedOne() {
        UnchangedSignals unchanged = new UnchangedSignals();
        unchanged.stored(signal(0, Quantities.FEEDBACK, 1, 2, 3, 4), "step-100");
        unchanged.stored(signal(0, Quantities.FEEDBACK, 5, 6, 7, 8), "step-200");
        assertThat(unchanged.storedKey(signal(0, Quantities.FEEDBACK, 5, 6, 7, 8))).contains("step-200");
        assertThat(unchanged.storedKey(signal(0, Quantities.FEEDBACK, 1, 2, 3, 4))).isEmpty();
    }

    @Test
    void theSameValuesInAnotherShapeOrLayoutAreNotARepeat() {
        UnchangedSignals unchanged = new UnchangedSignals();
        unchanged.stored(signal(0, Quantities.ACTIVITY, 1, 2, 3, 4), "k");
        assertThat(unchanged.storedKey(new LayerSignal("fc1", 0, Quantities.ACTIVITY, 4, 1,
                LayerSignal.EXAMPLES_X_FEATURES, new float[] {1, 2, 3, 4}))).isEmpty();
        assertThat(unchanged.storedKey(new LayerSignal("fc1", 0, Quantities.ACTIVITY, 2, 2,
                LayerSignal.POSITIONS_X_CHANNELS, new float[] {1, 2, 3, 4}))).isEmpty();
    }

    @Test
    void onlyTheFirstLayersInputAndFeedbackAreRemembered() {
        UnchangedSignals unchanged = new UnchangedSignals();
        unchanged.stored(signal(0, Quantities.ACTIVITY, 1, 2, 3, 4), "fc1-activity");
        unchanged.stored(signal(1, Quantities.ACTIVITY, 1, 2, 3, 4), "fc2-activity");
        unchanged.stored(signal(0, Quantities.ERROR_SIGNAL, 1, 2, 3, 4), "fc1-error");
        unchanged.stored(signal(0, Quantities.WEIGHT, 1, 2, 3, 4), "fc1-weight");

        assertThat(unchanged.storedKey(signal(0, Quantities.ACTIVITY, 1, 2, 3, 4))).contains("fc1-activity");
        // a deeper layer's input, an error signal or a weight changes with training: keeping a copy would only
        // cost heap (a conv layer's input on the probe batch runs to tens of MB)
        assertThat(unchanged.storedKey(signal(1, Quantities.ACTIVITY, 1, 2, 3, 4))).isEmpty();
        assertThat(unchanged.storedKey(signal(0, Quantities.ERROR_SIGNAL, 1, 2, 3, 4))).isEmpty();
        assertThat(unchanged.storedKey(signal(0, Quantities.WEIGHT, 1, 2, 3, 4))).isEmpty();
    }
}
