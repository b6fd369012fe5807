package org.falab.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.DatasetSource;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;

/**
 * A run trains on whatever thread calls it. PyTorch's grad mode is per thread and on by default; the engine turns it
 * off only on the thread that first loads it, so a thread of its own (a restarted trainer's new worker) started with
 * it on, and every in-place update of a parameter failed at the second step.
 */
class TrainingThreadTest {

    @Test
    void aRunTrainsOnAThreadThatDidNotLoadTheEngine() throws Exception {
        Engine.getInstance();  // loaded here, on the test's thread
        RunSpec spec = Specs.synthetic("fa", "sgd", 2, 0.05);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                outcome.set(Training.train(spec, DatasetSource.directory(Path.of("/nonexistent")),
                        new RecordingListener(), TrainingOptions.defaults("cpu")));
            } catch (Exception | Error e) {
                outcome.set(e);
            }
        }, "a-fresh-worker");
        worker.start();
        worker.join();
        assertThat(outcome.get()).isInstanceOf(TrainingResult.class);
        assertThat(((TrainingResult) outcome.get()).steps()).isGreaterThan(1);
    }
}
