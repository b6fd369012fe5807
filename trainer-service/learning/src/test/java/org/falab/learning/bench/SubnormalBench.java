package org.falab.learning.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.testing.Benchmarks;
import org.falab.learning.data.DatasetSource;
import org.falab.learning.train.StepProgress;
import org.falab.learning.train.Training;
import org.falab.learning.train.TrainingListener;
import org.falab.learning.train.TrainingOptions;
import org.falab.learning.train.TrainingResult;
import org.falab.learning.train.TrainingStarted;

/**
 * Not a test: {@code ./falab bench --only subnormal}. Trains one run that saturates (by default FA+Muon at 0.05 on the
 * MLP 784-256-256-256-10, Fashion-MNIST, the Muon sweep's cell whose error signals fill with subnormal floats) with
 * subnormals flushed to zero and without, each in a fresh process, interleaved A B A B, and prints per side the run's
 * training seconds, the mean step time of its first and last tenth of steps, and its test accuracy and final loss
 * (flushing changes the numbers only below 1.2e-38, so the two should agree closely).
 * <pre>SubnormalBench [--spec JSON] [--epochs 3] [--rounds 1] [--threads 2] [--data /usr/share/datasets]
 *                [--out FILE]</pre>
 */
public final class SubnormalBench {

    private static final String SATURATING = "{\"dataset\":\"fashion-mnist\",\"model\":\"mlp\","
            + "\"hidden\":[256,256,256],\"method\":\"fa\",\"optimizer\":\"muon\",\"learningRate\":0.05,"
            + "\"adamwLearningRate\":0.001,\"momentum\":0.9,\"batchSize\":128,\"probeEvery\":100,"
            + "\"probeSize\":256,\"probeAtStart\":true,\"seed\":0}";

    private SubnormalBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        ObjectNode spec = (ObjectNode) ContractJson.readTree(options.getOrDefault("spec", SATURATING));
        spec.put("epochs", Integer.parseInt(options.getOrDefault("epochs", "3")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        String threads = options.getOrDefault("threads", "2");
        String data = options.getOrDefault("data", "/usr/share/datasets");
        Path out = Path.of(options.getOrDefault("out", "target/bench-subnormal.json"));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-6s %5s %12s %16s %16s %9s %9s", "round", "flush", "training s",
                "first 10% ms/st", "last 10% ms/st", "accuracy", "loss"));
        ArrayNode sides = ContractJson.mapper().createArrayNode();
        System.out.println("spec " + spec + ", " + threads + " engine threads");
        for (int r = 0; r < rounds; r++) {
            for (boolean flush : new boolean[] {true, false}) {
                JsonNode side = child(spec.toString(), flush, threads, data);
                ((ObjectNode) side).put("round", r + 1);
                sides.add(side);
                lines.add(String.format(Locale.ROOT, "%-6d %5s %12.1f %16.2f %16.2f %9.4f %9.4f", r + 1,
                        side.path("subnormalsFlushed").asBoolean() ? "on" : "off",
                        side.path("trainingSeconds").asDouble(), side.path("firstTenthStepMs").asDouble(),
                        side.path("lastTenthStepMs").asDouble(), side.path("testAccuracy").asDouble(),
                        side.path("trainLoss").asDouble()));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        ObjectNode report = ContractJson.object();
        report.putObject("machine").put("cpu", Benchmarks.cpuModel())
                .put("cores", Runtime.getRuntime().availableProcessors()).put("engineThreads", threads);
        report.set("spec", spec);
        report.put("method", "one run per side in a fresh JVM, sides interleaved flush on, flush off per round; "
                + "training seconds as the run reports them (data loading, steps, probes, evaluation)");
        report.set("sides", sides);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out,
                ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println();
        lines.forEach(System.out::println);
        System.out.println("machine: " + Benchmarks.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores; written to " + out);
    }

    private static JsonNode child(String spec, boolean flush, String threads, String data)
            throws IOException, InterruptedException {
        return Bench.child(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                Side.class.getName(), spec, String.valueOf(flush), data), Integer.parseInt(threads), 60);
    }

    /** One side in its own JVM: trains the spec and prints a BENCH line. Args: spec JSON, flush, dataset root. */
    public static final class Side {

        public static void main(String[] args) throws Exception {
            RunSpec spec = ContractJson.mapper().readValue(args[0], RunSpec.class);
            boolean flush = Boolean.parseBoolean(args[1]);
            List<Double> stepMs = new ArrayList<>();
            boolean[] flushed = {false};
            TrainingResult result = Training.train(spec, DatasetSource.directory(Path.of(args[2])),
                    new TrainingListener() {
                        private long last;

                        @Override
                        public void onStart(TrainingStarted started) {
                            flushed[0] = started.subnormalsFlushed();
                            last = System.nanoTime();
                        }

                        @Override
                        public void onStep(StepProgress progress) {
                            long now = System.nanoTime();
                            stepMs.add((now - last) / 1e6);
                            last = now;
                        }
                    }, TrainingOptions.defaults("cpu").flushingDenormals(flush));
            int tenth = Math.max(1, stepMs.size() / 10);
            ObjectNode line = ContractJson.object().put("flush", flush).put("subnormalsFlushed", flushed[0])
                    .put("steps", result.steps()).put("trainingSeconds", result.trainingSeconds())
                    .put("firstTenthStepMs", mean(stepMs.subList(0, tenth)))
                    .put("lastTenthStepMs", mean(stepMs.subList(stepMs.size() - tenth, stepMs.size())))
                    .put("testAccuracy", result.testAccuracy()).put("trainLoss", result.trainLoss());
            ArrayNode perTenth = line.putArray("stepMsPerTenth");
            for (int i = 0; i + tenth <= stepMs.size(); i += tenth) {
                perTenth.add(Math.round(mean(stepMs.subList(i, i + tenth)) * 100) / 100.0);
            }
            System.out.println("BENCH " + line);
        }

        static double mean(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }
}
