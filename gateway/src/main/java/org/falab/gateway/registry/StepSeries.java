package org.falab.gateway.registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Values by training step, at most {@code capacity} steps: one run's probe snapshots, analysis or alignment results.
 * A run probed every step for a long time would otherwise grow the gateway's memory without bound.
 *
 * <p>Downsampling keeps the series even over the whole run and always keeps its newest step: every new step gets
 * the next arrival number, and the series keeps the steps whose number is a multiple of a stride (at first 1), plus
 * the newest. When it is full the stride doubles and the steps off the new stride are dropped, so a long run keeps
 * between capacity/2 and capacity steps spread over all of it. Once steps have been dropped, a step older than the
 * newest that is not kept (a dropped one redelivered, or a straggler) is not added back; before that, stragglers are
 * kept. The same records in the same order (a replay of a run's partition) give the same series.
 *
 * <p>Not thread-safe: the registry's lock guards it.
 */
final class StepSeries<V> {

    private final int capacity;
    private final TreeMap<Long, Slot<V>> slots = new TreeMap<>();
    private long arrivals;
    private long stride = 1;

    private static final class Slot<V> {
        final long arrival;
        V value;

        Slot(long arrival, V value) {
            this.arrival = arrival;
            this.value = value;
        }
    }

    /** @param capacity the most steps kept, at least 2 (the first kept step and the newest) */
    StepSeries(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a step series keeps at least 2 steps, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Sets the value of {@code step} to {@code update.apply(current)}, current being null for a new step. A new step
     * may be left out (downsampled), in which case {@code update} is not called.
     */
    void update(long step, UnaryOperator<V> update) {
        Slot<V> slot = slots.get(step);
        if (slot != null) {
            slot.value = update.apply(slot.value);
            return;
        }
        boolean newest = slots.isEmpty() || step > slots.lastKey();
        if (!newest && stride > 1) {
            return;
        }
        long arrival = arrivals++;
        if (newest && !slots.isEmpty()) {
            Map.Entry<Long, Slot<V>> previous = slots.lastEntry();
            if (previous.getValue().arrival % stride != 0) {
                // it was kept only for being the newest
                slots.remove(previous.getKey());
            }
        }
        slots.put(step, new Slot<>(arrival, update.apply(null)));
        while (slots.size() > capacity) {
            thin();
        }
    }

    private void thin() {
        stride *= 2;
        long newest = slots.lastKey();
        for (Iterator<Map.Entry<Long, Slot<V>>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Slot<V>> entry = it.next();
            if (entry.getKey() != newest && entry.getValue().arrival % stride != 0) {
                it.remove();
            }
        }
    }

    /** The values by step. */
    List<V> values() {
        List<V> values = new ArrayList<>(slots.size());
        for (Slot<V> slot : slots.values()) {
            values.add(slot.value);
        }
        return values;
    }

    /** The kept steps, ascending. */
    List<Long> steps() {
        return new ArrayList<>(slots.keySet());
    }

    int size() {
        return slots.size();
    }
}
