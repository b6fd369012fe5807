package org.falab.trainer.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.falab.trainer.config.TrainerConfig;

/**
 * Writes probe snapshots (encoding, uploads, the SnapshotRecorded event) off the training thread, so that a step
 * never waits for the object store unless it is behind: at most {@code falab.progress.pending-snapshots} snapshots
 * wait or are being written; one more blocks the training thread until a slot is free (back-pressure, never a
 * dropped snapshot). A failed write surfaces on the training thread at the next {@link #submit} or at
 * {@link #flush}, and so fails the run. With the setting 0, snapshots are written on the training thread.
 * Each wait for a slot is timed ({@code falab_snapshot_backpressure_seconds}): its sum is training time lost to a
 * slow object store.
 */
@ApplicationScoped
public class SnapshotWriter {

    private final int capacity;
    private final ExecutorService executor;
    private final Semaphore slots;
    private final Deque<Future<?>> pending = new ArrayDeque<>();
    private final Timer backPressure;

    public SnapshotWriter(TrainerConfig config, MeterRegistry registry) {
        this.capacity = Math.max(0, config.progress().pendingSnapshots());
        this.executor = capacity == 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "falab-snapshot-writer");
            t.setDaemon(true);
            return t;
        });
        this.slots = new Semaphore(Math.max(1, capacity));
        this.backPressure = Timer.builder("falab.snapshot.backpressure")
                .description("waits of the training thread for a free snapshot slot (the object store was behind)")
                .register(registry);
    }

    /** Queues one snapshot's writing; blocks while {@code capacity} are pending; rethrows an earlier failure. */
    public synchronized void submit(Runnable write) {
        if (executor == null) {
            write.run();
            return;
        }
        rethrowFailures(false);
        if (!slots.tryAcquire()) {
            long start = System.nanoTime();
            slots.acquireUninterruptibly();
            backPressure.record(Duration.ofNanos(System.nanoTime() - start));
        }
        try {
            pending.add(executor.submit(() -> {
                try {
                    write.run();
                } finally {
                    slots.release();
                }
            }));
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Waits until every queued snapshot is written; rethrows the first failure. */
    public synchronized void flush() {
        rethrowFailures(true);
    }

    private void rethrowFailures(boolean wait) {
        while (!pending.isEmpty() && (wait || pending.peekFirst().isDone())) {
            Future<?> next = pending.pollFirst();
            try {
                next.get();
            } catch (ExecutionException e) {
                pending.forEach(f -> f.cancel(false));
                pending.clear();
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("writing a snapshot failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing snapshots", e);
            }
        }
    }

    @PreDestroy
    void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
