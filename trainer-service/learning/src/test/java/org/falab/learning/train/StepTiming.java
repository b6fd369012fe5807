package org.falab.learning.train;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.SplittableRandom;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Initializer;
import org.falab.learning.models.Mlp;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;

/**
 * Not a test: measures ms per training step (forward, backward, update) on random data, e.g.
 * {@code java -cp ... org.falab.learning.train.StepTiming 784 256,256 128 sgd}.
 */
public final class StepTiming {

    private StepTiming() {}

    /** Args: inputs, hidden widths (comma separated), batch size, optimiser, steps. */
    public static void main(String[] args) throws Exception {
        int inputs = args.length > 0 ? Integer.parseInt(args[0]) : 784;
        List<Integer> hidden = List.of(args.length > 1 ? args[1] : "256,256").stream()
                .flatMap(s -> java.util.Arrays.stream(s.split(","))).map(Integer::parseInt).toList();
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        String optimizer = args.length > 3 ? args[3] : "sgd";
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        // alternate the rules so a noisy neighbour hurts both alike; report every round
        for (int round = 1; round <= 3; round++) {
            for (String method : new String[] {"bp", "fa"}) {
                System.out.printf("round %d %s %s: %.2f ms/step%n", round, method, optimizer,
                        msPerStep(method, optimizer, inputs, hidden, batch, steps));
            }
        }
    }

    static double msPerStep(String method, String optimizer, int inputs, List<Integer> hidden, int batch, int steps)
            throws TrainingFailedException {
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, hidden, JsonEnums.of(LearningRule.class, method), JsonEnums.of(OptimizerKind.class, optimizer), 1, batch, 0.01, 0.9, 0, 1L, null,
                null, 1, 1);
        int n = batch * 8;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Seeds.gaussian(rng);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(10);
        }
        LabelledExamples data = new LabelledExamples(x, y, inputs, 10);
        int[] order = Seeds.permutation(n, rng);
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(spec.method(), Mlp.widths(inputs, hidden, 10), Initializer.XAVIER_UNIFORM,
                    1L, manager, DataType.FLOAT32);
            Optimizer opt = Optimizers.create(spec, mlp);
            for (int s = 0; s < 20; s++) { // warm-up
                int from = (s % 8) * batch;
                Training.step(manager, mlp, opt, data, order, from, from + batch, s + 1);
            }
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                int from = (s % 8) * batch;
                Training.step(manager, mlp, opt, data, order, from, from + batch, s + 1);
            }
            return (System.nanoTime() - t0) / 1e6 / steps;
        }
    }
}
