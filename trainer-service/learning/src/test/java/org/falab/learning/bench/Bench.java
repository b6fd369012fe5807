package org.falab.learning.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.testing.Benchmarks;

/**
 * Not a test: {@code ./falab bench}. Times falab's training step against PyTorch eager under Python (Debian's
 * python3-torch) on the same model, batch, dtype (float32), rule, optimiser and thread count, interleaved A B A B
 * (each side in a fresh process per round) so that machine noise hits both, and prints per case the median and the
 * 10th-90th percentile spread of the per-step times and the ratio falab / PyTorch; the table also goes to a JSON file
 * with the machine and the versions. Models: the MLPs 784-256-256-10 and 784-1024-1024-1024-10 and the small CNN with
 * SGD and Muon, BP and FA; ResNet-18 on 3x32x32 for BP, FA and FA+Muon (batch 32 and 2 steps on a CPU, 128 and 50 on
 * a GPU). Each falab side also times a probe.
 * <pre>Bench [--out FILE] [--threads 1,2] [--rounds 2] [--steps 200] [--resnet-steps 2] [--python /usr/bin/python3]
 *       [--models mlp,cnn,resnet18] [--device cpu|gpu|gpu:N] [--warmup-seconds 2] [--quick]</pre>
 * On a GPU ({@code --device gpu}, {@code ./falab bench --gpu}) both sides train on it: falab through the engine's CUDA
 * libtorch, the reference through the Python's CUDA PyTorch if it has one.
 */
public final class Bench {

    /**
     * One benchmark case: a model ({@code mlp:WIDTHS}, {@code cnn}, {@code resnet18}), a rule, an optimiser, a batch
     * size, warm-up and timed steps per round, and probes timed after the steps (falab only).
     */
    record Case(String name, String model, String method, String optimizer, int batch, int warmup, int steps,
            int probes) {
    }

    /** falab's figures of one case at one thread count, for the Muon table. */
    record Measured(Case c, int threads, Side falab, long muonFlops, double matmulGflops) {
    }

    /** The figures of one side of one case: every timed step (or probe) of every round pooled. */
    record Side(double medianMs, double p10Ms, double p90Ms, int n, String version) {
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, "quick");
        List<Integer> threads = Arrays.stream(options.getOrDefault("threads", "1,2").split(","))
                .map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        double scale = options.containsKey("quick") ? 0.25 : 1.0;
        int steps = Integer.parseInt(options.getOrDefault("steps", "200"));
        String device = options.getOrDefault("device", "cpu");
        // the warm-up is the case's steps and at least this long, on both sides: falab's JIT compiles its step's
        // paths over the first seconds (the 256-wide MLP's step takes 1.5 ms once compiled, 2-3 ms in its first 50)
        String warmupSeconds = options.getOrDefault("warmup-seconds", "2");
        boolean gpu = device.startsWith("gpu");
        int resnetSteps = Integer.parseInt(options.getOrDefault("resnet-steps", gpu ? "50" : "2"));
        Path out = Path.of(options.getOrDefault("out", "target/bench.json"));
        String python = options.getOrDefault("python", "/usr/bin/python3");
        String torchDevice = gpu ? device.replace("gpu", "cuda") : "cpu";
        boolean reference = runs(python, "-c", gpu ? "import torch; assert torch.cuda.is_available()" : "import torch");
        if (!reference) {
            System.out.println("note: no PyTorch " + (gpu ? "with CUDA " : "") + "for " + python
                    + (gpu ? "" : " (apt-get install python3-torch libopenblas0-openmp)") + ": falab's side only");
        }
        String mlp = "mlp:784,256,256,10";
        String wide = "mlp:784,1024,1024,1024,10";
        List<Case> cases = new ArrayList<>();
        for (String optimizer : List.of("sgd", "muon")) {
            for (String method : List.of("bp", "fa")) {
                cases.add(new Case("mlp 784-256-256-10", mlp, method, optimizer, 128, 20, steps, 5));
                // Muon's Newton-Schulz on two 1024 x 1024 matrices makes a step about a second on a CPU core
                cases.add(new Case("mlp 784-1024x3-10", wide, method, optimizer, 128, optimizer.equals("muon") ? 3 : 10,
                        optimizer.equals("muon") ? steps / 20 : steps / 2, 3));
                cases.add(new Case("cnn 32-64-256-256-10", "cnn", method, optimizer, 128, 5, steps / 8, 2));
            }
        }
        // the GPU script's cases (BP, FA, FA+Muon); on a CPU a few steps after one warm-up step
        int resnetWarmup = gpu ? 10 : 1;
        int resnetBatch = gpu ? 128 : 32; // a CPU step of batch 128 takes 5-20 s
        String resnet = "resnet18 3x32x32 b" + resnetBatch;
        cases.add(new Case(resnet, "resnet18", "bp", "sgd", resnetBatch, resnetWarmup, resnetSteps, 0));
        cases.add(new Case(resnet, "resnet18", "fa", "sgd", resnetBatch, resnetWarmup, resnetSteps, 0));
        cases.add(new Case(resnet, "resnet18", "fa", "muon", resnetBatch, resnetWarmup, resnetSteps, 0));
        List<String> models = Arrays.asList(options.getOrDefault("models", "mlp,cnn,resnet18").split(","));
        cases.removeIf(c -> models.stream().noneMatch(m -> c.model().startsWith(m)));
        Path script = script();
        ArrayNode results = ContractJson.mapper().createArrayNode();
        List<Measured> measured = new ArrayList<>();
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-22s %-4s %-5s %3s  %24s  %24s  %6s  %22s", "case", "rule", "opt",
                "thr", "falab ms/step (p10-p90)", "PyTorch ms/step (p10-p90)", "ratio", "falab ms/probe"));
        for (int t : threads) {
            for (Case c : cases) {
                int timed = Math.max(c.model().equals("resnet18") ? 1 : 10, (int) Math.ceil(c.steps() * scale));
                List<Double> falab = new ArrayList<>();
                List<Double> gflops = new ArrayList<>();
                long[] muonFlops = {0};
                List<Double> probe = new ArrayList<>();
                List<Double> torch = new ArrayList<>();
                String falabVersion = null;
                String torchVersion = null;
                boolean withReference = reference;
                for (int r = 0; r < rounds; r++) {
                    JsonNode a = child(falabCommand(c, t, timed, device, warmupSeconds), t);
                    falabVersion = a.path("version").asText();
                    a.path("stepsMs").forEach(v -> falab.add(v.asDouble()));
                    a.path("probeMs").forEach(v -> probe.add(v.asDouble()));
                    gflops.add(a.path("matmulGflops").asDouble());
                    muonFlops[0] = a.path("muonFlopsPerStep").asLong();
                    if (withReference) {
                        JsonNode b = child(List.of(python, script.toString(), c.model(), c.method(), c.optimizer(),
                                String.valueOf(c.batch()), String.valueOf(c.warmup()), String.valueOf(timed),
                                String.valueOf(t), torchDevice, warmupSeconds), t);
                        torchVersion = b.path("version").asText();
                        b.path("stepsMs").forEach(v -> torch.add(v.asDouble()));
                    }
                }
                Side f = side(falab, falabVersion);
                Side p = withReference ? side(torch, torchVersion) : null;
                Side probes = probe.isEmpty() ? null : side(probe, falabVersion);
                measured.add(new Measured(c, t, f, muonFlops[0], side(gflops, falabVersion).medianMs()));
                Double ratio = p == null ? null : f.medianMs() / p.medianMs();
                table.add(String.format(Locale.ROOT, "%-22s %-4s %-5s %3d  %24s  %24s  %6s  %22s", c.name(),
                        c.method(), c.optimizer(), t, cell(f), p == null ? "-" : cell(p),
                        ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
                        probes == null ? "-" : cell(probes)));
                System.out.println(table.get(table.size() - 1));
                ObjectNode row = results.addObject();
                row.put("case", c.name()).put("device", device).put("method", c.method()).put("optimizer", c.optimizer())
                        .put("batch", c.batch()).put("threads", t).put("dtype", "float32");
                row.set("falab", ContractJson.tree(f));
                row.set("pytorch", p == null ? null : ContractJson.tree(p));
                row.set("probe", probes == null ? null : ContractJson.tree(probes));
                if (ratio == null) {
                    row.putNull("ratio");
                } else {
                    row.put("ratio", Math.round(ratio * 1000) / 1000.0);
                }
            }
        }
        ObjectNode report = ContractJson.object();
        ObjectNode machine = report.putObject("machine");
        machine.put("cpu", Benchmarks.cpuModel()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("java", System.getProperty("java.version"));
        report.put("method", "per-step wall time after warm-up steps (20 for the 256-wide MLP, fewer for the larger "
                + "models, and more until " + warmupSeconds + " s have passed), batches gathered on the device, each side in its own process, rounds interleaved falab, PyTorch, falab, PyTorch; median and "
                + "10th-90th percentiles of all timed steps; probes: one ErrorSignalProbe.record of the default 256 "
                + "examples (falab only) after the steps");
        report.put("rounds", rounds);
        report.set("cases", results);
        List<String> muonTable = muonTable(measured, report.putArray("muon"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        muonTable.forEach(System.out::println);
        System.out.println("machine: " + Benchmarks.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores; "
                + "written to " + out);
    }

    /**
     * Muon's extra time per step (the Muon case's median minus the SGD case's, same model, rule and threads) against
     * the floor of its Newton-Schulz matrix products: their flops at the engine's measured matmul rate.
     */
    static List<String> muonTable(List<Measured> measured, ArrayNode json) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-22s %-4s %3s  %12s  %14s  %12s  %10s  %9s", "Muon case", "rule", "thr",
                "extra ms", "NS GFLOP/step", "matmul GF/s", "floor ms", "extra/floor"));
        for (Measured muon : measured) {
            if (!muon.c().optimizer().equals("muon")) {
                continue;
            }
            measured.stream().filter(m -> m.c().optimizer().equals("sgd") && m.threads() == muon.threads()
                    && m.c().model().equals(muon.c().model()) && m.c().method().equals(muon.c().method()))
                    .findFirst().ifPresent(sgd -> {
                        double extra = muon.falab().medianMs() - sgd.falab().medianMs();
                        double floor = muon.muonFlops() / (muon.matmulGflops() * 1e9) * 1e3;
                        lines.add(String.format(Locale.ROOT, "%-22s %-4s %3d  %12.2f  %14.3f  %12.1f  %10.2f  %9.2f",
                                muon.c().name(), muon.c().method(), muon.threads(), extra, muon.muonFlops() / 1e9,
                                muon.matmulGflops(), floor, extra / floor));
                        json.addObject().put("case", muon.c().name()).put("method", muon.c().method())
                                .put("threads", muon.threads()).put("extraMs", round(extra))
                                .put("newtonSchulzFlops", muon.muonFlops()).put("matmulGflops", muon.matmulGflops())
                                .put("floorMs", round(floor)).put("extraOverFloor", round(extra / floor));
                    });
        }
        return lines;
    }

    private static List<String> falabCommand(Case c, int threads, int steps, String device, String warmupSeconds) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                "org.falab.learning.train.StepBench", c.model(), c.method(), c.optimizer(),
                String.valueOf(c.batch()), String.valueOf(c.warmup()), String.valueOf(steps),
                String.valueOf(c.probes()), device, warmupSeconds);
    }

    /** Runs one side in its own process (OMP_NUM_THREADS = threads for both) and returns its BENCH line. */
    private static JsonNode child(List<String> command, int threads) throws IOException, InterruptedException {
        return child(command, threads, 10);
    }

    /** As above, waiting at most {@code minutes} for it. */
    static JsonNode child(List<String> command, int threads, int minutes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(minutes, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("benchmark side failed: " + String.join(" ", command) + "\n" + output);
        }
        return output.lines().filter(l -> l.startsWith("BENCH ")).findFirst()
                .map(l -> ContractJson.readTree(l.substring(6)))
                .orElseThrow(() -> new IllegalStateException("no BENCH line from " + command.get(0) + "\n" + output));
    }

    static Side side(List<Double> ms, String version) {
        double[] sorted = Benchmarks.sorted(ms);
        return new Side(round(Benchmarks.quantile(sorted, 0.5)), round(Benchmarks.quantile(sorted, 0.1)),
                round(Benchmarks.quantile(sorted, 0.9)),
                sorted.length, version);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String cell(Side s) {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.medianMs(), s.p10Ms(), s.p90Ms());
    }

    private static Path script() throws URISyntaxException, IOException {
        var url = Bench.class.getResource("/bench/torch_step.py");
        if (url == null) {
            throw new IllegalStateException("bench/torch_step.py is not on the class path");
        }
        if (url.getProtocol().equals("file")) {
            return Path.of(url.toURI());
        }
        Path copy = Files.createTempFile("torch_step", ".py");
        try (var in = url.openStream()) {
            Files.write(copy, in.readAllBytes());
        }
        return copy;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
