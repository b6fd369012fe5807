package org.falab.trainer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.falab.storage.ObjectStoreException;
import org.falab.trainer.config.TrainerConfig;
import org.junit.jupiter.api.Test;

/** The background writer of probe snapshots: order, back-pressure, failures reach the training thread. */
class SnapshotWriterTest {

    /** The one setting the writer reads; the rest of the configuration is not its business. */
    private static TrainerConfig pending(int snapshots) {
        return new TrainerConfig() {
            @Override
            public Datasets datasets() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Progress progress() {
                return new Progress() {
                    @Override
                    public int everySteps() {
                        return 1;
                    }

                    @Override
                    public int pendingSnapshots() {
                        return snapshots;
                    }
                };
            }

            @Override
            public Training training() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Queue queue() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Checkpoints checkpoints() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void snapshotsAreWrittenInOrderOffTheCallersThreadAndFlushWaitsForAll() {
        SnapshotWriter writer = new SnapshotWriter(pending(2), new SimpleMeterRegistry());
        List<String> written = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int step = i;
            writer.submit(() -> written.add(step + "@" + Thread.currentThread().getName()));
        }
        writer.flush();
        assertThat(written).containsExactly("0@falab-snapshot-writer", "1@falab-snapshot-writer",
                "2@falab-snapshot-writer", "3@falab-snapshot-writer", "4@falab-snapshot-writer");
        writer.close();
    }

    @Test
    void aFullQueueMakesTheTrainingThreadWaitInsteadOfDroppingASnapshot() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SnapshotWriter writer = new SnapshotWriter(pending(1), registry);
        CountDownLatch storeBehind = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        writer.submit(() -> {
            await(storeBehind);
            written.add(1);
        });
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> writer.submit(() -> written.add(2)));
        assertThat(second).as("waits while the store is behind").isNotCompleted();
        Thread.sleep(300);
        assertThat(second).isNotCompleted();
        storeBehind.countDown();
        second.get(10, TimeUnit.SECONDS);
        writer.flush();
        assertThat(written).containsExactly(1, 2);
        Timer waits = registry.get("falab.snapshot.backpressure").timer();
        assertThat(waits.count()).as("the second submit waited once, the first not at all").isEqualTo(1);
        assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).as("the wait lasted while the store was behind")
                .isGreaterThanOrEqualTo(300);
        writer.close();
    }

    @Test
    void aFailedWriteFailsTheRunAtTheNextSubmitOrAtFlush() {
        SnapshotWriter writer = new SnapshotWriter(pending(2), new SimpleMeterRegistry());
        writer.submit(() -> {
            throw new ObjectStoreException("object store: put s3://falab/runs/r/x.npy failed: down", null);
        });
        assertThatThrownBy(writer::flush).isInstanceOf(ObjectStoreException.class).hasMessageContaining("down");
        writer.flush(); // reported once; the next run starts clean
        writer.close();
    }

    @Test
    void settingZeroWritesOnTheTrainingThread() {
        SnapshotWriter writer = new SnapshotWriter(pending(0), new SimpleMeterRegistry());
        String[] thread = new String[1];
        writer.submit(() -> thread[0] = Thread.currentThread().getName());
        assertThat(thread[0]).isEqualTo(Thread.currentThread().getName());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
