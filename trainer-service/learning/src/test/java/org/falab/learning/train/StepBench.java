package org.falab.learning.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.convert.ModelBuilder;
import org.falab.learning.data.DeviceExamples;
import org.falab.learning.data.LabelledExamples;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.models.ImageShape;
import org.falab.learning.models.Network;
import org.falab.learning.layers.Parameter;
import org.falab.learning.optim.Muon;
import org.falab.learning.optim.Optimizer;
import org.falab.learning.optim.ParameterGroup;
import org.falab.learning.optim.Optimizers;
import org.falab.learning.probes.ErrorSignalProbe;
import org.falab.learning.spec.Seeds;

/**
 * Not a test: one side of {@link org.falab.learning.bench.Bench}. Times falab's training step (forward, backward,
 * update; the loss read back, as a training loop does) on random data, each step on its own, after a warm-up, then
 * (with {@code PROBES > 0}) that many probes of the run's default size, and prints one JSON line with every step's and
 * every probe's milliseconds. The warm-up is WARMUP steps, and more until WARMUP_SECONDS have passed. Threads are the JVM's {@code -Dai.djl.pytorch.num_threads}.
 * Batches are gathered on the device from {@link DeviceExamples}, as a run's are.
 * <pre>StepBench MODEL METHOD(bp|fa) OPTIMIZER(sgd|muon) BATCH WARMUP STEPS [PROBES [DEVICE(cpu|gpu|gpu:N) [WARMUP_SECONDS]]]
 *   MODEL: mlp:784,256,256,10 (widths) | cnn (1x28x28; conv 32, conv 64, 256-256-10) | resnet18 (3x32x32, batch norm)</pre>
 */
public final class StepBench {

    private static final int CLASSES = 10;

    private StepBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int batch = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        int probes = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        String device = args.length > 7 ? args[7] : "cpu";
        double warmupSeconds = args.length > 8 ? Double.parseDouble(args[8]) : 0;
        int warmupSteps;
        ObjectNode json = ContractJson.object().put("dataset", "synthetic").put("method", args[1])
                .put("optimizer", args[2]).put("batchSize", batch).put("seed", 1)
                .put("learningRate", args[2].equals("muon") ? 0.02 : 0.01).put("momentum", 0.9);
        ImageShape shape;
        if (model.startsWith("mlp:")) {
            int[] widths = Arrays.stream(model.substring(4).split(",")).mapToInt(Integer::parseInt).toArray();
            json.put("model", "mlp");
            var hidden = json.putArray("hidden");
            Arrays.stream(widths, 1, widths.length - 1).forEach(hidden::add);
            shape = new ImageShape(1, 1, widths[0]);
        } else if (model.equals("cnn")) {
            json.put("model", "cnn");
            shape = new ImageShape(1, 28, 28);
        } else if (model.equals("resnet18")) {
            json.put("model", "resnet18").put("norm", "batch");
            shape = new ImageShape(3, 32, 32);
        } else {
            throw new IllegalArgumentException("unknown model " + model);
        }
        RunSpec spec = ContractJson.mapper().treeToValue(json, RunSpec.class);
        int inputs = shape.channels() * shape.height() * shape.width();
        int n = Math.max(batch, spec.probeSize()) * 4;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[n * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Seeds.gaussian(rng);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(CLASSES);
        }
        LabelledExamples data = new LabelledExamples(x, y, inputs, CLASSES);
        if (shape.height() > 1) {
            data = data.withImageShape(new int[] {shape.channels(), shape.height(), shape.width()});
        }
        int[] order = Seeds.permutation(n, rng);
        double[] stepMs = new double[steps];
        double[] probeMs = new double[probes];
        long muonFlops = 0;
        double matmulGflops;
        try (NDManager manager = NDManager.newBaseManager(TrainingDevice.resolve(device, Engine.getInstance()));
                DeviceExamples onDevice = DeviceExamples.of(data, manager, DataType.FLOAT32)) {
            Network network = ModelBuilder.build(spec, shape, CLASSES, TensorFactory.seeded(manager, DataType.FLOAT32,
                    spec.seed())).network();
            Optimizer optimizer = Optimizers.create(spec, network);
            if (optimizer instanceof Muon muon) {
                for (ParameterGroup group : muon.muonGroups()) {
                    for (Parameter p : group.parameters()) {
                        long[] rc = Muon.matrixShape(p.array().getShape());
                        muonFlops += newtonSchulzFlops(rc[0], rc[1]);
                    }
                }
            }
            int batches = n / batch;
            // the JIT compiles the step's paths over the first few hundred small steps: warm up for a time too
            long warmedAt = System.nanoTime() + (long) (warmupSeconds * 1e9);
            int s = 0;
            for (; s < warmup || System.nanoTime() < warmedAt; s++) {
                int from = (s % batches) * batch;
                Training.step(network, optimizer, () -> onDevice.batch(order, from, from + batch), s + 1);
            }
            warmupSteps = s;
            for (int t = 0; t < steps; t++, s++) {
                int from = (s % batches) * batch;
                long t0 = System.nanoTime();
                Training.step(network, optimizer, () -> onDevice.batch(order, from, from + batch), s + 1);
                stepMs[t] = (System.nanoTime() - t0) / 1e6;
            }
            matmulGflops = matmulGflops(manager);
            try (ErrorSignalProbe probe = ErrorSignalProbe.fixed(data, spec.probeSize(), spec.seed(), manager,
                    DataType.FLOAT32)) {
                for (int p = 0; p < probes + (probes > 0 ? 1 : 0); p++) {
                    long t0 = System.nanoTime();
                    List<LayerSignal> signals = probe.record(network, spec.probeLayout().jsonName());
                    if (signals.isEmpty()) {
                        throw new IllegalStateException("a probe recorded nothing");
                    }
                    if (p > 0) { // the first probe is its warm-up
                        probeMs[p - 1] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        var out = ContractJson.object();
        out.put("side", "falab");
        out.put("muonFlopsPerStep", muonFlops);
        out.put("matmulGflops", Math.round(matmulGflops * 10) / 10.0);
        Engine engine = Engine.getInstance();
        out.put("version", engine.getEngineName() + " " + engine.getVersion() + " (DJL "
                + ai.djl.engine.Engine.getDjlVersion() + ")");
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("device", device);
        out.put("probeSize", spec.probeSize());
        out.put("warmupSteps", warmupSteps);
        var array = out.putArray("stepsMs");
        Arrays.stream(stepMs).forEach(v -> array.add(round(v)));
        var probeArray = out.putArray("probeMs");
        Arrays.stream(probeMs).forEach(v -> probeArray.add(round(v)));
        System.out.println("BENCH " + ContractJson.write(out));
    }

    /**
     * Multiply-adds x 2 of {@link Muon#newtonSchulz5} on a rows x cols matrix: with X m x n, m = min, n = max, each
     * of the 5 steps forms A = X·Xᵀ (2m²n), A·A (2m³) and (bA + cA²)·X (2m²n).
     */
    public static long newtonSchulzFlops(long rows, long cols) {
        long m = Math.min(rows, cols);
        long n = Math.max(rows, cols);
        return Muon.NS_STEPS * (4 * m * m * n + 2 * m * m * m);
    }

    /** The engine's float32 matrix-product rate on this device and thread count: 512 x 512 products, after warm-up. */
    private static double matmulGflops(NDManager manager) {
        int size = 512;
        int reps = 40;
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            var a = manager.randomNormal(new ai.djl.ndarray.types.Shape(size, size));
            var b = manager.randomNormal(new ai.djl.ndarray.types.Shape(size, size));
            for (int i = 0; i < 5; i++) {
                a.matMul(b).getFloat(0, 0);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (ai.djl.ndarray.NDScope step = new ai.djl.ndarray.NDScope()) {
                    a.matMul(b).getFloat(0, 0);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return 2.0 * size * size * size * reps / seconds / 1e9;
        }
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
    }
}
