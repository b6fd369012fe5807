package org.falab.analysis.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.ejml.EjmlVersion;
import org.ejml.data.DMatrixRMaj;
import org.falab.analysis.rank.EffectiveRank;
import org.falab.analysis.rank.NpyMatrices;
import org.falab.analysis.rank.RankSummary;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.npy.Npy;
import org.falab.contracts.testing.Benchmarks;

/**
 * Not a test: the effective-rank benchmark of {@code ./falab bench}. Times what the analysis service does with one
 * snapshot matrix (the contract's {@code .npy} bytes read by {@link NpyMatrices}, then
 * {@link EffectiveRank#analyse}: erank and near-zero rows) against NumPy under Python
 * ({@code numpy.linalg.svd(a, compute_uv=False)} in float64 and the same formula, src/test/resources/bench/
 * numpy_rank.py) on the same float32 matrices, which this class writes with the contract's {@link Npy} writer.
 *
 * <p>Per case: a warm-up of both sides, then rounds interleaved falab, NumPy, falab, NumPy (NumPy in one
 * long-lived process per BLAS thread count, so a round costs no process start), each round as many repetitions
 * as fill about {@code --round-seconds}; the table gives the median and 10th-90th percentiles of all timed
 * repetitions, the ratio of the medians, and |erank_falab - erank_numpy|, absolute and relative, which must be at
 * most 1e-9 (else the exit status is 1). falab computes on one thread, as the service does (one snapshot at a
 * time); NumPy's BLAS gets {@code OPENBLAS_NUM_THREADS = OMP_NUM_THREADS =} each value of {@code --threads}.
 * <pre>RankBench [--out FILE] [--threads 1[,2]] [--rounds 5] [--round-seconds 1] [--python /usr/bin/python3]
 *           [--quick] [--keep DIR]</pre>
 */
public final class RankBench {

    /** Agreement required with NumPy, absolute or relative. */
    static final double AGREEMENT = 1e-9;

    /**
     * One matrix: a probe layout and what is in it. {@code gaussian}: N(0, 1); {@code relu}: max(0, N(0, 1))
     * with every fourth column zero (dead units); {@code rank}: U·V / sqrt(rank) with Gaussian factors, which
     * float32 storage turns into rank {@code rank} plus rounding noise near 1e-8 σ_max.
     */
    record Case(String layout, int rows, int cols, String kind, int rank) {
        String label() {
            return layout + " " + (kind.equals("rank") ? "rank " + rank : kind);
        }
    }

    /** The figures of one side of one case: every timed repetition of every round pooled. */
    record Side(double medianMs, double p10Ms, double p90Ms, int n) {
    }

    private RankBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, "quick");
        boolean quick = options.containsKey("quick");
        List<Integer> threads = Arrays.stream(options.getOrDefault("threads", "1").split(","))
                .map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(options.getOrDefault("rounds", quick ? "2" : "5"));
        double roundSeconds = Double.parseDouble(options.getOrDefault("round-seconds", quick ? "0.3" : "1"));
        Path out = Path.of(options.getOrDefault("out", "target/bench-rank.json"));
        String python = options.getOrDefault("python", "/usr/bin/python3");
        String loadStart = Benchmarks.loadAverage();

        List<Case> cases = List.of(
                new Case("batch x features 128x1024", 128, 1024, "gaussian", 0),
                new Case("batch x features 128x1024", 128, 1024, "relu", 0),
                new Case("batch x features 128x1024", 128, 1024, "rank", 16),
                new Case("batch x features 4096x1024", 4096, 1024, "gaussian", 0),
                new Case("batch x features 4096x1024", 4096, 1024, "rank", 64),
                new Case("conv (256*14*14)x32", 256 * 14 * 14, 32, "gaussian", 0),
                new Case("conv (256*14*14)x32", 256 * 14 * 14, 32, "rank", 4),
                new Case("conv (256*7*7)x64", 256 * 7 * 7, 64, "gaussian", 0),
                new Case("conv (256*7*7)x64", 256 * 7 * 7, 64, "relu", 0),
                new Case("conv (256*7*7)x64", 256 * 7 * 7, 64, "rank", 8));
        Path dir = options.containsKey("keep") ? Files.createDirectories(Path.of(options.get("keep")))
                : Files.createTempDirectory("falab-rank-bench");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            files.add(write(cases.get(i), 20261201L + i, dir));
        }

        // untimed: the route each case takes, and a first pass through every kernel for the JIT
        List<EffectiveRank.Route> routes = new ArrayList<>();
        List<Double> eranks = new ArrayList<>();
        for (Path file : files) {
            DMatrixRMaj m = NpyMatrices.read(Files.readAllBytes(file));
            routes.add(EffectiveRank.route(m));
            eranks.add(EffectiveRank.analyse(m).effectiveRank());
        }

        Map<Integer, Reference> references = new LinkedHashMap<>();
        for (int t : threads) {
            Reference reference = Reference.start(python, script(), t);
            if (reference == null) {
                System.out.println("note: no NumPy for " + python + " (apt-get install python3-numpy): falab's side only");
                break;
            }
            references.put(t, reference);
        }

        ArrayNode results = ContractJson.mapper().createArrayNode();
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-38s %3s %-13s  %21s  %21s  %5s  %21s  %21s  %5s  %8s  %8s",
                "case", "thr", "route", "falab rank ms", "NumPy svd ms", "ratio", "falab read+rank ms",
                "NumPy load+svd ms", "ratio", "|d erank|", "relative"));
        table.add("(p10-p90 in brackets; thr = NumPy's BLAS threads, falab computes on 1 thread)");
        table.forEach(System.out::println);
        boolean agreed = true;
        for (int t : threads.subList(0, Math.max(1, references.size()))) {
            Reference reference = references.get(t);
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                byte[] bytes = Files.readAllBytes(files.get(i));
                List<Double> falabRank = new ArrayList<>();
                List<Double> falabTotal = new ArrayList<>();
                List<Double> numpyRank = new ArrayList<>();
                List<Double> numpyTotal = new ArrayList<>();
                double warmMs = falab(bytes, 3, quick ? 0.5 : 2, null, null);
                Double numpyErank = null;
                if (reference != null) {
                    JsonNode warm = reference.time(files.get(i), 2);
                    warmMs = Math.max(warmMs, median(warm));
                }
                int reps = (int) Math.max(1, Math.min(200, Math.round(roundSeconds * 1000 / warmMs)));
                for (int r = 0; r < rounds; r++) {
                    falab(bytes, reps, 0, falabRank, falabTotal);
                    if (reference != null) {
                        JsonNode b = reference.time(files.get(i), reps);
                        numpyErank = b.path("effectiveRank").asDouble();
                        for (int k = 0; k < reps; k++) {
                            double rank = b.path("rankMs").get(k).asDouble();
                            numpyRank.add(rank);
                            numpyTotal.add(rank + b.path("loadMs").get(k).asDouble());
                        }
                    }
                }
                double erank = eranks.get(i);
                Side fr = side(falabRank);
                Side ft = side(falabTotal);
                Side nr = reference == null ? null : side(numpyRank);
                Side nt = reference == null ? null : side(numpyTotal);
                Double abs = numpyErank == null ? null : Math.abs(erank - numpyErank);
                Double rel = abs == null ? null : abs / Math.abs(numpyErank);
                boolean ok = abs == null || abs <= AGREEMENT || rel <= AGREEMENT;
                agreed &= ok;
                String line = String.format(Locale.ROOT, "%-38s %3d %-13s  %21s  %21s  %5s  %21s  %21s  %5s  %8s  %8s%s",
                        c.label(), t, routes.get(i).name().toLowerCase(Locale.ROOT), cell(fr), cell(nr),
                        ratio(fr, nr), cell(ft), cell(nt), ratio(ft, nt), sci(abs), sci(rel), ok ? "" : "  DISAGREES");
                table.add(line);
                System.out.println(line);
                ObjectNode row = results.addObject();
                row.put("case", c.label()).put("rows", c.rows()).put("cols", c.cols()).put("kind", c.kind())
                        .put("dtype", "float32 on disk, float64 in both computations").put("numpyThreads", t)
                        .put("falabThreads", 1).put("route", routes.get(i).name().toLowerCase(Locale.ROOT))
                        .put("repetitionsPerRound", reps);
                row.set("falabRank", ContractJson.tree(fr));
                row.set("falabReadAndRank", ContractJson.tree(ft));
                row.set("numpyRank", nr == null ? null : ContractJson.tree(nr));
                row.set("numpyLoadAndRank", nt == null ? null : ContractJson.tree(nt));
                putRatio(row, "ratioRank", fr, nr);
                putRatio(row, "ratioReadAndRank", ft, nt);
                row.put("erankFalab", erank);
                if (numpyErank == null) {
                    row.putNull("erankNumpy");
                } else {
                    row.put("erankNumpy", numpyErank).put("absoluteDifference", abs).put("relativeDifference", rel)
                            .put("agrees", ok);
                }
            }
        }
        ObjectNode report = ContractJson.object();
        ObjectNode machine = report.putObject("machine");
        machine.put("cpu", Benchmarks.cpuModel()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("loadAverageAtStart", loadStart).put("loadAverageAtEnd", Benchmarks.loadAverage());
        ObjectNode versions = report.putObject("versions");
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")")
                .put("ejml", EjmlVersion.VERSION);
        Reference any = references.values().stream().findFirst().orElse(null);
        if (any != null) {
            versions.put("numpy", any.ready.path("numpy").asText()).put("python", any.ready.path("python").asText());
            versions.set("blasLibraries", any.ready.path("libraries"));
        }
        report.put("method", "per case: warm-up, then " + rounds + " rounds interleaved falab, NumPy, each round "
                + "about " + roundSeconds + " s of repetitions; falab = NpyMatrices.read of the .npy bytes + "
                + "EffectiveRank.analyse on 1 thread; NumPy = numpy.load + astype(float64) + linalg.svd(compute_uv="
                + "False) + the erank formula, BLAS threads as numpyThreads; median and 10th-90th percentiles of "
                + "all timed repetitions");
        report.put("agreementRequired", AGREEMENT);
        report.set("cases", results);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        for (Reference r : references.values()) {
            r.close();
        }
        if (!options.containsKey("keep")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println("machine: " + Benchmarks.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, load average " + loadStart + " at start, " + Benchmarks.loadAverage() + " at end; Java "
                + System.getProperty("java.version") + ", EJML " + EjmlVersion.VERSION
                + (any == null ? "" : ", NumPy " + any.ready.path("numpy").asText()) + "; written to " + out);
        if (!agreed) {
            System.out.println("falab and NumPy disagree by more than " + AGREEMENT + " on at least one case");
            System.exit(1);
        }
    }

    /**
     * Times {@code reps} repetitions of what the service does with one matrix (at least {@code seconds} of them
     * when that is more), adding each repetition's rank and read+rank milliseconds to the lists when given;
     * returns the median read+rank milliseconds.
     */
    private static double falab(byte[] bytes, int reps, double seconds, List<Double> rankMs, List<Double> totalMs)
            throws Exception {
        List<Double> totals = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        double sink = 0;
        for (int k = 0; k < reps || System.nanoTime() < deadline; k++) {
            long t0 = System.nanoTime();
            DMatrixRMaj m = NpyMatrices.read(bytes);
            long t1 = System.nanoTime();
            RankSummary summary = EffectiveRank.analyse(m);
            long t2 = System.nanoTime();
            sink += summary.effectiveRank() + summary.nearZeroRows();
            totals.add((t2 - t0) / 1e6);
            if (rankMs != null) {
                rankMs.add((t2 - t1) / 1e6);
                totalMs.add((t2 - t0) / 1e6);
            }
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("erank was NaN");
        }
        double[] sorted = totals.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return Benchmarks.quantile(sorted, 0.5);
    }

    /** Writes the case's float32 matrix as {@code .npy}, as the trainer writes a snapshot signal. */
    static Path write(Case c, long seed, Path dir) throws IOException {
        Random rnd = new Random(seed);
        float[] data = new float[c.rows() * c.cols()];
        switch (c.kind()) {
            case "gaussian" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) rnd.nextGaussian();
                }
            }
            case "relu" -> {
                for (int r = 0; r < c.rows(); r++) {
                    for (int j = 0; j < c.cols(); j++) {
                        double g = rnd.nextGaussian();
                        data[r * c.cols() + j] = j % 4 == 3 ? 0f : (float) Math.max(0, g);
                    }
                }
            }
            case "rank" -> {
                int k = c.rank();
                double[] u = new double[c.rows() * k];
                double[] v = new double[k * c.cols()];
                Arrays.setAll(u, i -> rnd.nextGaussian());
                Arrays.setAll(v, i -> rnd.nextGaussian());
                double norm = 1 / Math.sqrt(k);
                double[] row = new double[c.cols()];
                for (int r = 0; r < c.rows(); r++) {
                    Arrays.fill(row, 0);
                    for (int l = 0; l < k; l++) {
                        double ul = u[r * k + l];
                        int base = l * c.cols();
                        for (int j = 0; j < c.cols(); j++) {
                            row[j] += ul * v[base + j];
                        }
                    }
                    for (int j = 0; j < c.cols(); j++) {
                        data[r * c.cols() + j] = (float) (row[j] * norm);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown kind " + c.kind());
        }
        Path file = dir.resolve(c.rows() + "x" + c.cols() + "-" + c.kind() + (c.rank() > 0 ? c.rank() : "") + ".npy");
        try (OutputStream os = Files.newOutputStream(file)) {
            Npy.write(data, c.rows(), c.cols(), os);
        }
        return file;
    }

    /** The NumPy side: one Python process, BLAS threads fixed at start, answering timing requests. */
    static final class Reference implements AutoCloseable {
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;
        final JsonNode ready;

        private Reference(Process process, BufferedReader out, JsonNode ready) {
            this.process = process;
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.out = out;
            this.ready = ready;
        }

        /** The started reference, or null when {@code python} cannot import NumPy. */
        static Reference start(String python, Path script, int threads) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(python, script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
            builder.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            builder.environment().put("MKL_NUM_THREADS", String.valueOf(threads));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return null;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null || !line.startsWith("READY ")) {
                process.destroy();
                return null;
            }
            return new Reference(process, reader, ContractJson.readTree(line.substring(6)));
        }

        JsonNode time(Path file, int reps) throws IOException {
            ObjectNode request = ContractJson.object().put("file", file.toString()).put("reps", reps);
            in.write(ContractJson.mapper().writeValueAsString(request));
            in.newLine();
            in.flush();
            String line = out.readLine();
            if (line == null || !line.startsWith("RESULT ")) {
                throw new IllegalStateException("numpy_rank.py stopped answering (" + line + ")");
            }
            return ContractJson.readTree(line.substring(7));
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
            }
        }
    }

    private static double median(JsonNode result) {
        double[] ms = new double[result.path("rankMs").size()];
        for (int k = 0; k < ms.length; k++) {
            ms[k] = result.path("rankMs").get(k).asDouble() + result.path("loadMs").get(k).asDouble();
        }
        Arrays.sort(ms);
        return Benchmarks.quantile(ms, 0.5);
    }

    static Side side(List<Double> ms) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Side(round(Benchmarks.quantile(sorted, 0.5)), round(Benchmarks.quantile(sorted, 0.1)), round(Benchmarks.quantile(sorted, 0.9)),
                sorted.length);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String cell(Side s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.medianMs(), s.p10Ms(), s.p90Ms());
    }

    private static String ratio(Side a, Side b) {
        return b == null ? "-" : String.format(Locale.ROOT, "%.2f", a.medianMs() / b.medianMs());
    }

    private static void putRatio(ObjectNode row, String field, Side a, Side b) {
        if (b == null) {
            row.putNull(field);
        } else {
            row.put(field, Math.round(a.medianMs() / b.medianMs() * 1000) / 1000.0);
        }
    }

    private static String sci(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1e", v);
    }

    private static Path script() throws URISyntaxException, IOException {
        var url = RankBench.class.getResource("/bench/numpy_rank.py");
        if (url == null) {
            throw new IllegalStateException("bench/numpy_rank.py is not on the class path");
        }
        if (url.getProtocol().equals("file")) {
            return Path.of(url.toURI());
        }
        Path copy = Files.createTempFile("numpy_rank", ".py");
        try (var stream = url.openStream()) {
            Files.write(copy, stream.readAllBytes());
        }
        return copy;
    }
}
