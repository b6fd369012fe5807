package org.falab.analysis.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.ejml.data.DMatrixRMaj;
import org.falab.analysis.rank.RankSummary;

/**
 * The matrices that snapshots reference from an earlier step, with their ranks, so that a repeat is neither read nor
 * analysed again: the trainer stores a matrix that did not change between probes (a fixed feedback B, the first
 * layer's input on the fixed probe batch) once and names that object in every later snapshot. Bounded in bytes, the
 * least recently used first out; a matrix bigger than the bound is analysed and not kept. Thread-safe; the loading of
 * a missing entry runs outside the lock.
 */
final class RepeatedMatrices {

    /** A matrix as read and, for a ranked quantity, its rank (null otherwise). */
    record Analysed(DMatrixRMaj matrix, RankSummary rank) {
        long bytes() {
            return (long) matrix.data.length * Double.BYTES;
        }
    }

    private final long maxBytes;
    private final Map<String, Analysed> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    RepeatedMatrices(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The entry for {@code bucket/key}, loaded by {@code load} and kept when it is not there yet. */
    Analysed get(String bucket, String key, Supplier<Analysed> load) {
        String id = bucket + "/" + key;
        synchronized (this) {
            Analysed hit = entries.get(id);
            if (hit != null) {
                return hit;
            }
        }
        Analysed loaded = load.get();
        keep(id, loaded);
        return loaded;
    }

    /** Bytes held now. */
    synchronized long bytes() {
        return bytes;
    }

    private synchronized void keep(String id, Analysed analysed) {
        if (analysed.bytes() > maxBytes || entries.containsKey(id)) {
            return;
        }
        entries.put(id, analysed);
        bytes += analysed.bytes();
        Iterator<Analysed> eldest = entries.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }
}
