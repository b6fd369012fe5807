package org.falab.trainer.storage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.falab.contracts.events.Quantities;
import org.falab.learning.train.LayerSignal;

/**
 * One run attempt's memory of the probe matrices that often repeat from one snapshot to the next, so that a repeat is
 * referenced by the key it was stored under instead of being stored again: a fixed feedback matrix (FA's and DFA's B
 * never change) and the first layer's input (the fixed probe batch itself). For FA on an MLP that is a third of a
 * snapshot's bytes. Only those quantities are kept (one copy each), as holding every matrix of the last snapshot
 * could cost a conv net's snapshot in heap; whether a matrix repeats is decided by its values, never assumed.
 * Not thread-safe: the snapshot writer's one thread uses it.
 */
public final class UnchangedSignals {

    private record Stored(String key, int rows, int cols, String layout, float[] values) {}

    private final Map<String, Stored> last = new HashMap<>();

    /** The key under which the same matrix (shape, layout and values) was stored earlier in this attempt, if any. */
    public Optional<String> storedKey(LayerSignal signal) {
        Stored stored = last.get(slot(signal));
        if (stored == null || stored.rows() != signal.rows() || stored.cols() != signal.cols()
                || !stored.layout().equals(signal.layout()) || !Arrays.equals(stored.values(), signal.values())) {
            return Optional.empty();
        }
        return Optional.of(stored.key());
    }

    /** Remembers that {@code signal} was stored under {@code key}, if it is a quantity that may repeat. */
    public void stored(LayerSignal signal, String key) {
        if (mayRepeat(signal)) {
            last.put(slot(signal), new Stored(key, signal.rows(), signal.cols(), signal.layout(), signal.values()));
        }
    }

    private static boolean mayRepeat(LayerSignal signal) {
        return Quantities.FEEDBACK.equals(signal.quantity())
                || (Quantities.ACTIVITY.equals(signal.quantity()) && signal.layerIndex() == 0);
    }

    private static String slot(LayerSignal signal) {
        return signal.layerIndex() + "/" + signal.quantity();
    }
}
