package org.falab.learning.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.data.DatasetSource;
import org.falab.contracts.spec.RunSpec;

/**
 * Not a test: trains from a RunSpec JSON and prints progress, e.g.
 * {@code java -cp ... org.falab.learning.train.RunSpecMain '{"dataset":"fashion-mnist",...}' /usr/share/datasets}.
 */
public final class RunSpecMain {

    private RunSpecMain() {}

    /** Args: spec JSON, dataset root. */
    public static void main(String[] args) throws Exception {
        RunSpec spec = new ObjectMapper().readValue(args[0], RunSpec.class);
        DatasetSource source = DatasetSource.directory(Path.of(args.length > 1 ? args[1] : "/usr/share/datasets"));
        long t0 = System.nanoTime();
        byte[][] last = new byte[1][];
        TrainingResult r = Training.train(spec, source, new TrainingListener() {
            @Override
            public void onStart(TrainingStarted s) {
                System.out.println(s);
            }

            @Override
            public void onStep(StepProgress p) {
                if (p.step() % 100 == 0) {
                    System.out.printf("step %d loss %.4f (%.1f ms/step so far)%n", p.step(), p.trainLoss(),
                            (System.nanoTime() - t0) / 1e6 / p.step());
                }
            }

            @Override
            public void onEpoch(EpochSummary e) {
                System.out.println(e);
            }

            @Override
            public void onCheckpoint(CheckpointData c) {
                last[0] = c.bytes();
                System.out.println("checkpoint epoch " + c.epoch() + ": " + c.bytes().length + " bytes");
            }
        });
        System.out.println(r);
        System.out.println("checkpoint re-evaluated: " + Checkpoints.evaluate(last[0], source));
    }
}
