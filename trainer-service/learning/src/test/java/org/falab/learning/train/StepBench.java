package org.falab.learning.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.Initializer;
import org.falab.learning.models.Mlp;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.Optimizers;
import org.falab.learning.spec.Seeds;

/**
 * Not a test: one side of {@link org.falab.learning.bench.Bench}. Times falab's training step (forward, backward, update; the loss read back,
 * as a training loop does) of an MLP on random data, each step on its own, after a warm-up, and prints one JSON line
 * with every step's milliseconds. Threads are the JVM's {@code -Dai.djl.pytorch.num_threads}.
 * <pre>StepBench WIDTHS(784,256,256,10) METHOD(bp|fa) OPTIMIZER(sgd|muon) BATCH WARMUP STEPS</pre>
 */
public final class StepBench {

    private StepBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] widths = java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        LearningRule method = JsonEnums.of(LearningRule.class, args[1]);
        OptimizerKind optimizer = JsonEnums.of(OptimizerKind.class, args[2]);
        int batch = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        int inputs = widths[0];
        List<Integer> hidden = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            hidden.add(widths[i]);
        }
        double lr = optimizer == OptimizerKind.MUON ? 0.02 : 0.01;
        RunSpec spec = new RunSpec(Dataset.SYNTHETIC, Model.MLP, hidden, method, optimizer, 1, batch, lr, 0.9, 0.0,
                1L, null, null, 1, 1);
        int n = batch * 8;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Seeds.gaussian(rng);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(widths[widths.length - 1]);
        }
        LabelledExamples data = new LabelledExamples(x, y, inputs, widths[widths.length - 1]);
        int[] order = Seeds.permutation(n, rng);
        double[] ms = new double[steps];
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp mlp = Mlp.initialise(method, widths, Initializer.XAVIER_UNIFORM, 1L, manager, DataType.FLOAT32);
            Optimizer opt = Optimizers.create(spec, mlp);
            for (int s = 0; s < warmup + steps; s++) {
                int from = (s % 8) * batch;
                long t0 = System.nanoTime();
                Training.step(manager, mlp, opt, data, order, from, from + batch, s + 1);
                if (s >= warmup) {
                    ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        var out = ContractJson.object();
        out.put("side", "falab");
        Engine engine = Engine.getInstance();
        out.put("version", engine.getEngineName() + " " + engine.getVersion() + " (DJL "
                + ai.djl.engine.Engine.getDjlVersion() + ")");
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        var array = out.putArray("stepsMs");
        for (double v : ms) {
            array.add(Double.parseDouble(String.format(Locale.ROOT, "%.4f", v)));
        }
        System.out.println("BENCH " + ContractJson.write(out));
    }
}
