package org.falab.e2e.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.testing.Benchmarks;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunEventType;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.e2e.PipelineStack;
import org.falab.localstack.TinyMnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.minio.PutObjectArgs;

/**
 * Not a test: {@code ./falab bench}, after the learning core's. The real pipeline end to end, as {@link PipelineStack}
 * starts it for the end-to-end tests (an in-process Kafka broker and S3 server, the packaged gateway, trainer and
 * analysis services as processes), and three figures of issue 8:
 * <ul>
 * <li>{@code first-step}: from just before {@code POST /api/v1/runs} to the end of the run's first training step,
 * on a warm trainer (it has trained a warm-up run), for N small runs one after another;</li>
 * <li>{@code share}: the share of a run's wall time spent outside its training steps, for a 3-epoch FA run of an MLP
 * 784-256-256-10 on Fashion-MNIST (or, where it is not on this machine, generated data of its size), with the
 * default probes and with probes off, the pair run A B A B ({@code --share-rounds}, 3);</li>
 * <li>{@code rss}: the trainer process's resident set at step 100 and at step 10,000 of one long run.</li>
 * </ul>
 * Nothing is asserted: it prints a table and writes it as JSON with the machine and the definitions.
 * <pre>PipelineBench [--out FILE] [--only first-step,share,rss] [--runs 5] [--threads 1] [--rss-steps 10000]
 *     [--datasets /usr/share/datasets] [--trainer-jvm "-XX:NativeMemoryTracking=summary ..."]
 *     [--trainer-cpus 0 --stack-cpus 1] [--share-rounds 3]</pre>
 * Run from the e2e module's folder (it starts {@code ../<service>/target/quarkus-app/quarkus-run.jar}).
 */
public final class PipelineBench {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> PARTS = List.of("first-step", "share", "rss");
    /** probeEvery that leaves only the probe at the last step: a run cannot switch its probes off entirely. */
    private static final int PROBES_OFF = 100_000_000;
    /** The trainer's timer of the training thread's waits for a free snapshot slot. */
    private static final String BACKPRESSURE = "falab_snapshot_backpressure_seconds_sum";
    /** The trainer's timer of the training thread's probe recording (passes on the probe batch, copies to host). */
    private static final String PROBE_RECORDING = "falab_probe_record_duration_seconds_sum";
    private static final Pattern LOG_TIME =
            Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RunEvents events;
    private PipelineStack.Running stack;
    private int progressEvery;
    private List<String> trainerJvmOptions = List.of();
    /** CPU list for the trainer's process (taskset), or null: not pinned. */
    private final String trainerCpus;

    private PipelineBench(PipelineStack.Running stack, RunEvents events, int progressEvery, String trainerCpus)
            throws IOException, InterruptedException {
        this.stack = stack;
        this.events = events;
        this.progressEvery = progressEvery;
        this.trainerCpus = trainerCpus;
        pinTrainer();
    }

    private void pinTrainer() throws IOException, InterruptedException {
        if (trainerCpus != null) {
            CpuPinning.pin(stack.trainer().pid(), trainerCpus);
        }
    }

    /** This JVM (broker, S3 server, the bench), the analysis service and the gateway onto {@code cpus}. */
    private static void pinStack(PipelineStack.Running stack, String cpus) throws IOException, InterruptedException {
        CpuPinning.pin(ProcessHandle.current().pid(), cpus);
        CpuPinning.pin(stack.analysis().pid(), cpus);
        CpuPinning.pin(stack.gateway().pid(), cpus);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        Path out = Path.of(options.getOrDefault("out", "target/bench-pipeline.json"));
        Set<String> parts = new LinkedHashSet<>(List.of(options.getOrDefault("only", String.join(",", PARTS))
                .split(",")));
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--only takes a comma list of " + PARTS + ", not " + parts);
        }
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        // one libtorch thread, as in the end-to-end tests: the broker, the S3 server and three services share the cores
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        int rssSteps = Integer.parseInt(options.getOrDefault("rss-steps", "10000"));
        // share runs its pair (probes, probes off) this many times, A B A B: the first pairs also pay the JIT's
        // compiling of the probe and upload paths (a warm-up run of 8 steps does not reach them); the table shows
        // the last pair
        int shareRounds = Integer.parseInt(options.getOrDefault("share-rounds", "3"));
        Path datasets = Path.of(options.getOrDefault("datasets", "/usr/share/datasets"));
        // diagnosis: more JVM options for the trainer of share and rss, e.g. "-XX:NativeMemoryTracking=summary" (rss
        // then adds the tracked native memory's growth from step 1000 to the end) or "-Xms512m -XX:+AlwaysPreTouch"
        List<String> trainerJvm = List.of(options.getOrDefault("trainer-jvm", "").split(" ")).stream()
                .filter(o -> !o.isBlank()).toList();
        boolean nmt = trainerJvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="));
        // diagnosis: the trainer on cores of its own and the rest of the stack on the others (taskset CPU lists,
        // e.g. --trainer-cpus 0 --stack-cpus 1), as on a cluster where the trainer pod has its node
        String trainerCpus = options.get("trainer-cpus");
        String stackCpus = options.get("stack-cpus");

        ObjectNode report = ContractJson.object();
        ObjectNode machine = report.putObject("machine");
        machine.put("cpu", Benchmarks.cpuModel()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("memory", Benchmarks.memTotal())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("java", System.getProperty("java.version"))
                .put("loadAverageAtStart", Benchmarks.loadAverage());
        report.put("commit", gitCommit());
        report.put("startedAt", Instant.now().toString());
        ObjectNode setup = report.putObject("setup");
        setup.put("stack", "PipelineStack: in-process Kafka broker (LocalKafka) and S3 server (LocalObjectStore) in the "
                + "bench's JVM; gateway, trainer and analysis service as packaged processes (-Xmx512m), all on this "
                + "machine; the trainer reads datasets from the bucket")
                .put("trainerThreads", threads).put("trainerJvmOptions", String.join(" ", trainerJvm))
                .put("trainerCpus", trainerCpus == null ? "any" : trainerCpus)
                .put("stackCpus", stackCpus == null ? "any" : stackCpus);
        List<String> table = new ArrayList<>();

        // first-step needs a PROGRESS event after every step; the other parts run with the trainer's own default (20)
        int firstEvery = parts.contains("first-step") ? 1 : 20;
        PipelineStack.Running started = PipelineStack.start(trainerSettings(threads, firstEvery));
        try (RunEvents events = RunEvents.follow(started.kafka().bootstrapServers())) {
            if (stackCpus != null) {
                pinStack(started, stackCpus);
            }
            PipelineBench bench = new PipelineBench(started, events, firstEvery, trainerCpus);
            try {
                if (parts.contains("first-step")) {
                    report.set("firstStep", bench.firstStep(runs, table));
                }
                if (parts.contains("share") || parts.contains("rss")) {
                    bench.trainer(20, threads, trainerJvm);
                    bench.warmUp();
                }
                if (parts.contains("rss")) {
                    report.set("rss", bench.rss(rssSteps, nmt, table));
                }
                if (parts.contains("share")) {
                    report.set("share", bench.share(datasets, shareRounds, table));
                }
            } finally {
                bench.stack.close();
                // the bucket holds the runs' checkpoints and snapshots and the dataset: hundreds of MB per bench
                deleteTree(bench.stack.s3Dir());
            }
        }
        machine.put("loadAverageAtEnd", Benchmarks.loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println();
        table.forEach(System.out::println);
        System.out.println("machine: " + Benchmarks.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + "load " + machine.path("loadAverageAtStart").asText() + " at start; written to " + out);
    }

    private static Map<String, String> trainerSettings(int threads, int progressEvery) {
        return Map.of("ai.djl.pytorch.num_threads", String.valueOf(threads),
                "falab.progress.every-steps", String.valueOf(progressEvery));
    }

    private void trainer(int every, int threads, List<String> jvmOptions) throws IOException, InterruptedException {
        if (progressEvery != every || !trainerJvmOptions.equals(jvmOptions)) {
            say("restarting the trainer with falab.progress.every-steps=" + every + " " + jvmOptions);
            stack = stack.withNewTrainer("trainer-every-" + every, trainerSettings(threads, every), jvmOptions);
            pinTrainer();
            progressEvery = every;
            trainerJvmOptions = jvmOptions;
        }
    }

    /** A small run, trained to its end, so that the trainer has loaded the engine and compiled its hot paths. */
    private void warmUp() throws Exception {
        say("warm-up run");
        Submitted run = submit(smallRun());
        requireSucceeded(run.id());
        settle(run.id());
    }

    private static Map<String, Object> smallRun() {
        // 8 steps of the default MLP (hidden 256, 256) on the synthetic data (32 inputs, generated: nothing to read)
        return Map.of("dataset", "synthetic", "method", "fa", "epochs", 1, "trainSubset", 1024, "testSubset", 256);
    }

    // ---------------------------------------------------------------------------------------------------- first step

    private ObjectNode firstStep(int runs, List<String> table) throws Exception {
        warmUp();
        List<Double> toFirstStep = new ArrayList<>();
        List<Double> toAccepted = new ArrayList<>();
        List<Double> toTrainerLog = new ArrayList<>();
        List<Double> toStarted = new ArrayList<>();
        List<Double> startedToStep = new ArrayList<>();
        ArrayNode each = ContractJson.mapper().createArrayNode();
        for (int i = 0; i < runs; i++) {
            Submitted run = submit(smallRun());
            List<Seen> seen = events.await(run.id(), e -> e.type() == RunEventType.PROGRESS, RUN_TIMEOUT);
            RunEvent started = first(seen, RunEventType.STARTED);
            RunEvent step = first(seen, RunEventType.PROGRESS);
            if (step.step() != 1) {
                throw new IllegalStateException("the first PROGRESS event is of step " + step.step() + ", not 1");
            }
            double ms = millis(run.before(), step.time());
            toFirstStep.add(ms);
            toAccepted.add(millis(run.before(), run.accepted()));
            toStarted.add(millis(run.before(), started.time()));
            startedToStep.add(millis(started.time(), step.time()));
            Optional<Instant> took = trainerLogTime("run " + run.id() + ": training ");
            took.ifPresent(t -> toTrainerLog.add(millis(run.before(), t)));
            each.addObject().put("runId", run.id()).put("postToFirstStepMs", round(ms))
                    .put("postTo202Ms", round(millis(run.before(), run.accepted())))
                    .put("postToTrainerTookItMs", took.map(t -> round(millis(run.before(), t))).orElse(null))
                    .put("postToStartedMs", round(millis(run.before(), started.time())))
                    .put("startedToFirstStepMs", round(millis(started.time(), step.time())));
            say(String.format(Locale.ROOT, "run %d/%d: POST to first step %.0f ms", i + 1, runs, ms));
            requireSucceeded(run.id());
            settle(run.id());
        }
        ObjectNode node = ContractJson.object();
        node.put("definition", "from the bench's clock just before it sends POST /api/v1/runs to the time field of the "
                + "run's PROGRESS event of step 1 (the trainer's clock, read right after step 1's optimiser update; one "
                + "host, one clock), read off falab.run-events with a plain Kafka consumer; trainer "
                + "falab.progress.every-steps=1 for this part; the trainer is warm (a warm-up run trained first) and "
                + "idle (each run waits for the previous one to succeed and its snapshots to be analysed)");
        node.set("spec", ContractJson.tree(smallRun()));
        node.put("runs", runs);
        node.set("postToFirstStepMs", stats(toFirstStep));
        node.set("postTo202Ms", stats(toAccepted));
        node.set("postToTrainerTookItMs", toTrainerLog.isEmpty() ? null : stats(toTrainerLog));
        node.set("postToStartedMs", stats(toStarted));
        node.set("startedToFirstStepMs", stats(startedToStep));
        node.put("targetMs", 1000);
        node.set("runsMeasured", each);
        table.add("POST /api/v1/runs to the first training step, warm trainer, " + runs + " runs (synthetic MLP "
                + "32-256-256-10, fa, batch 128), ms, median (p10-p90):");
        table.add(String.format(Locale.ROOT, "  %-44s %s", "POST to first step (target <= 1000)", cell(toFirstStep)));
        table.add(String.format(Locale.ROOT, "  %-44s %s", "  POST to 202 Accepted", cell(toAccepted)));
        if (!toTrainerLog.isEmpty()) {
            table.add(String.format(Locale.ROOT, "  %-44s %s", "  POST to the trainer took it (its log, ms)",
                    cell(toTrainerLog)));
        }
        table.add(String.format(Locale.ROOT, "  %-44s %s", "  POST to STARTED (data, model, probe batch)",
                cell(toStarted)));
        table.add(String.format(Locale.ROOT, "  %-44s %s", "  STARTED to end of step 1", cell(startedToStep)));
        return node;
    }

    // --------------------------------------------------------------------------------------------------------- share

    private ObjectNode share(Path datasets, int rounds, List<String> table) throws Exception {
        String data = fashionMnistInBucket(datasets);
        ObjectNode node = ContractJson.object();
        node.put("data", data);
        node.put("definition", "wall = POST (bench clock, just before sending) to the SUCCEEDED event's time; in steps = "
                + "the trainer's falab_training_step_duration_seconds_sum for the run (each step timed from the moment "
                + "the learning core gets the thread back from the trainer's previous callback to its onStep: batch, "
                + "forward, backward, update, divergence check; not probes, evaluation, checkpoints or events); "
                + "outside steps = wall - in steps; before first step = POST to STARTED (request hop, dataset read from "
                + "the bucket, standardised, model built, probe batch); checkpoints = EPOCH_COMPLETED to "
                + "CHECKPOINT_WRITTEN per epoch (serialise, upload, events); probes off = probeEvery " + PROBES_OFF
                + " (one probe, at the last step); probe cost = wall(probes) - wall(probes off); CPU = utime + stime "
                + "of /proc/<pid>/stat (trainer: by thread name in /proc/<pid>/task) from POST to SUCCEEDED; the "
                + "broker and the S3 server share the bench's JVM");
        ArrayNode rows = node.putArray("runs");
        for (int round = 1; round <= rounds; round++) {
            rows.add(shareRun(100, round));
            rows.add(shareRun(PROBES_OFF, round));
        }
        // the table shows the last round's pair; the JSON keeps every run
        JsonNode on = rows.get(rows.size() - 2);
        JsonNode off = rows.get(rows.size() - 1);
        double probeCost = on.path("wallS").asDouble() - off.path("wallS").asDouble();
        node.put("probeCostS", round(probeCost));
        node.put("probeCostShare", round(probeCost / on.path("wallS").asDouble()));
        table.add("");
        table.add("Share of a run outside its training steps: FA MLP 784-256-256-10, 3 epochs, batch 128, " + data
                + ":");
        table.add(String.format(Locale.ROOT, "  %-46s %14s %14s", "", "probes (" + on.path("probes").asInt() + ")",
                "probes off (1)"));
        String[][] lines = {
            {"steps", "steps", "%14.0f"},
            {"wall: POST to SUCCEEDED, s", "wallS", "%14.2f"},
            {"  run view startedAt to finishedAt, s", "startedToFinishedS", "%14.2f"},
            {"  before step 1: POST to STARTED, s", "beforeFirstStepS", "%14.2f"},
            {"  in steps (step timer sum), s", "inStepsS", "%14.2f"},
            {"    mean step, ms", "meanStepMs", "%14.2f"},
            {"  checkpoints (3), s", "checkpointsS", "%14.2f"},
            {"  recording probes (training thread), s", "probeRecordingS", "%14.2f"},
            {"  waits for a snapshot slot (back-pressure), s", "backPressureS", "%14.2f"},
            {"  outside steps (wall - in steps), s", "outsideStepsS", "%14.2f"},
            {"outside steps, share of wall", "outsideStepsShare", "%14.3f"}};
        for (String[] line : lines) {
            table.add(String.format(Locale.ROOT, "  %-46s " + line[2] + " " + line[2], line[0],
                    on.path(line[1]).asDouble(), off.path(line[1]).asDouble()));
        }
        table.add(String.format(Locale.ROOT, "  %-46s %14s %14s", "training threads: user / system CPU s",
                on.path("trainingUserS").asDouble() + " / " + on.path("trainingSystemS").asDouble(),
                off.path("trainingUserS").asDouble() + " / " + off.path("trainingSystemS").asDouble()));
        table.add(String.format(Locale.ROOT, "  %-46s %14d %14d", "training threads: minor page faults",
                on.path("trainingMinorFaults").asLong(), off.path("trainingMinorFaults").asLong()));
        List<String> cpuNames = new ArrayList<>();
        on.path("cpuS").fieldNames().forEachRemaining(cpuNames::add);
        for (String name : cpuNames) {
            table.add(String.format(Locale.ROOT, "  %-46s %14.2f %14.2f", "CPU s: " + name,
                    on.path("cpuS").path(name).asDouble(), off.path("cpuS").path(name).asDouble()));
        }
        table.add("  trainer threads whose CPU differs most (by thread name, digits dropped), s:");
        List<String> groupNames = new ArrayList<>();
        on.path("trainerThreadsCpuS").fieldNames().forEachRemaining(groupNames::add);
        off.path("trainerThreadsCpuS").fieldNames().forEachRemaining(n -> {
            if (!groupNames.contains(n)) {
                groupNames.add(n);
            }
        });
        ToDoubleFunction<String> extra = n -> on.path("trainerThreadsCpuS").path(n).asDouble()
                - off.path("trainerThreadsCpuS").path(n).asDouble();
        groupNames.stream().sorted(Comparator.comparingDouble(extra).reversed()).limit(8)
                .forEach(n -> table.add(String.format(Locale.ROOT, "    %-44s %14.2f %14.2f", n,
                        on.path("trainerThreadsCpuS").path(n).asDouble(),
                        off.path("trainerThreadsCpuS").path(n).asDouble())));
        table.add(String.format(Locale.ROOT, "  probe cost: wall(probes) - wall(probes off) = %.2f s, %.1f%% of the "
                + "run with probes", probeCost, 100 * probeCost / on.path("wallS").asDouble()));
        StringBuilder perRound = new StringBuilder("  wall(probes) / wall(probes off) by round (A B A B):");
        for (int r = 0; r + 1 < rows.size(); r += 2) {
            perRound.append(String.format(Locale.ROOT, " %.3f", rows.get(r).path("wallS").asDouble()
                    / rows.get(r + 1).path("wallS").asDouble()));
        }
        table.add(perRound.toString());
        return node;
    }

    /** One FA run of share's, with probes every {@code probeEvery} steps: its times and CPU split. */
    private ObjectNode shareRun(int probeEvery, int round) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dataset", "fashion-mnist");
        spec.put("method", "fa");
        spec.put("hidden", List.of(256, 256));
        spec.put("epochs", 3);
        spec.put("batchSize", 128);
        spec.put("probeEvery", probeEvery);
        String label = probeEvery == PROBES_OFF ? "probes off" : "probes every 100 (default)";
        say("share: round " + round + ", " + label);
        Map<String, Double> cpuBefore = cpu();
        Map<String, Double> threadsBefore = trainerThreadGroups();
        long[] trainingBefore = trainingThreadCounters();
        String metricsBefore = scrape(stack.trainer().url());
        double waitedBefore = sample(metricsBefore, BACKPRESSURE, "");
        double recordingBefore = sampleOrZero(metricsBefore, PROBE_RECORDING);
        Submitted run = submit(spec);
        List<Seen> seen = requireSucceeded(run.id());
        Map<String, Double> cpuAfter = cpu();
        Map<String, Double> threadsAfter = trainerThreadGroups();
        long[] trainingAfter = trainingThreadCounters();
        String metrics = scrape(stack.trainer().url());
        String tag = "run_id=\"" + run.id() + "\"";
        double inSteps = sample(metrics, "falab_training_step_duration_seconds_sum", tag);
        long steps = (long) sample(metrics, "falab_training_step_duration_seconds_count", tag);
        double waited = sample(metrics, BACKPRESSURE, "") - waitedBefore;
        double recording = sampleOrZero(metrics, PROBE_RECORDING) - recordingBefore;
        RunEvent startedEvent = first(seen, RunEventType.STARTED);
        RunEvent succeeded = first(seen, RunEventType.SUCCEEDED);
        double wall = seconds(run.before(), succeeded.time());
        double beforeFirstStep = seconds(run.before(), startedEvent.time());
        double checkpoints = 0;
        List<RunEvent> epochs = all(seen, RunEventType.EPOCH_COMPLETED);
        List<RunEvent> written = all(seen, RunEventType.CHECKPOINT_WRITTEN);
        for (int e = 0; e < Math.min(epochs.size(), written.size()); e++) {
            checkpoints += seconds(epochs.get(e).time(), written.get(e).time());
        }
        JsonNode view = runView(run.id());
        double startedToFinished = seconds(Instant.parse(view.path("startedAt").asText()),
                Instant.parse(view.path("finishedAt").asText()));
        double outside = wall - inSteps;
        Duration settled = settle(run.id());
        int probes = runView(run.id()).path("snapshots").size();
        ObjectNode row = ContractJson.object();
        row.put("label", label).put("runId", run.id()).put("probeEvery", probeEvery).put("probes", probes)
                .put("steps", steps).put("wallS", round(wall)).put("startedToFinishedS", round(startedToFinished))
                .put("trainingSeconds", round(succeeded.trainingSeconds()))
                .put("beforeFirstStepS", round(beforeFirstStep)).put("inStepsS", round(inSteps))
                .put("meanStepMs", round(1000 * inSteps / steps))
                .put("checkpointsS", round(checkpoints)).put("outsideStepsS", round(outside))
                .put("outsideStepsShare", round(outside / wall)).put("probeRecordingS", round(recording))
                .put("backPressureS", round(waited))
                .put("analysisTrailedS", round(settled.toMillis() / 1000.0))
                .put("testAccuracy", succeeded.testAccuracy());
        ObjectNode cpu = row.putObject("cpuS");
        cpuAfter.forEach((k, v) -> cpu.put(k, round(v - cpuBefore.getOrDefault(k, 0.0))));
        ObjectNode groups = row.putObject("trainerThreadsCpuS");
        threadsAfter.forEach((k, v) -> groups.put(k, round(v - threadsBefore.getOrDefault(k, 0.0))));
        row.put("trainingUserS", round((trainingAfter[0] - trainingBefore[0]) / 100.0))
                .put("trainingSystemS", round((trainingAfter[1] - trainingBefore[1]) / 100.0))
                .put("trainingMinorFaults", trainingAfter[2] - trainingBefore[2]);
        row.put("round", round);
        return row;
    }

    /** One thread of the trainer process: its name and, so far, its CPU clock ticks and minor page faults. */
    private record TrainerThread(String name, long userTicks, long systemTicks, long minorFaults) {
        double cpuSeconds() {
            return (userTicks + systemTicks) / 100.0;
        }
    }

    /** The trainer's live threads, from /proc/PID/task/TID/{comm,stat}; empty when the process is gone. */
    private List<TrainerThread> trainerThreads() {
        List<TrainerThread> threads = new ArrayList<>();
        try (var list = Files.list(Path.of("/proc", String.valueOf(stack.trainer().pid()), "task"))) {
            for (Path task : list.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String[] f = statFields(task.resolve("stat"));
                    threads.add(new TrainerThread(name, Long.parseLong(f[11]), Long.parseLong(f[12]),
                            Long.parseLong(f[7])));
                } catch (IOException gone) {
                    // the thread ended between the listing and the read: the process total counts it
                }
            }
        } catch (IOException e) {
            return threads;
        }
        return threads;
    }

    /**
     * CPU seconds so far of the trainer (split by thread: training, snapshot writer, the rest), the analysis
     * service, the gateway and this JVM (broker, S3 server, bench).
     */
    private Map<String, Double> cpu() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        double training = 0;
        double writer = 0;
        double rest = 0;
        for (TrainerThread thread : trainerThreads()) {
            // the run trains on RunQueue's thread; libtorch's own workers (with more threads) take its name
            if (thread.name().startsWith("falab-training")) {
                training += thread.cpuSeconds();
            } else if (thread.name().startsWith("falab-snapshot")) {
                writer += thread.cpuSeconds();
            } else {
                rest += thread.cpuSeconds();
            }
        }
        cpu.put("trainer training threads", training);
        cpu.put("trainer snapshot writer", writer);
        cpu.put("trainer other threads (GC, JIT, Kafka, HTTP)", rest);
        try {
            cpu.put("analysis service", cpuSeconds(Path.of("/proc", String.valueOf(stack.analysis().pid()), "stat")));
            cpu.put("gateway", cpuSeconds(Path.of("/proc", String.valueOf(stack.gateway().pid()), "stat")));
            cpu.put("broker + S3 server + bench (one JVM)", cpuSeconds(Path.of("/proc/self/stat")));
        } catch (IOException e) {
            // a service has gone: its figure is left out
        }
        return cpu;
    }

    /**
     * CPU seconds so far of the trainer's threads grouped by name with digits and '#' dropped ("GC Thread#0" and
     * "GC Thread#1" are "GC Thread"); "(threads that have ended)" is the process's total less the live threads',
     * as the JIT's compiler threads and OkHttp's come and go (so a group's figure can fall between two readings).
     */
    private Map<String, Double> trainerThreadGroups() {
        Map<String, Double> groups = new TreeMap<>();
        double live = 0;
        for (TrainerThread thread : trainerThreads()) {
            groups.merge(thread.name().replaceAll("[0-9#]+", "").trim(), thread.cpuSeconds(), Double::sum);
            live += thread.cpuSeconds();
        }
        try {
            groups.put("(threads that have ended)",
                    cpuSeconds(Path.of("/proc", String.valueOf(stack.trainer().pid()), "stat")) - live);
        } catch (IOException e) {
            // the trainer has gone: the live threads' figures are all there is
        }
        return groups;
    }

    /** User and system clock ticks and minor page faults so far of the trainer's training threads. */
    private long[] trainingThreadCounters() {
        long[] sum = new long[3];
        for (TrainerThread thread : trainerThreads()) {
            if (thread.name().startsWith("falab-training")) {
                sum[0] += thread.userTicks();
                sum[1] += thread.systemTicks();
                sum[2] += thread.minorFaults();
            }
        }
        return sum;
    }

    /** utime + stime of a /proc stat file, in seconds (USER_HZ 100, as on every Linux this runs on). */
    private static double cpuSeconds(Path stat) throws IOException {
        String[] f = statFields(stat);
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** The fields of a /proc stat file after the command name (f[7] minflt, f[11] utime, f[12] stime). */
    private static String[] statFields(Path stat) throws IOException {
        String text = Files.readString(stat);
        // the command name is in parentheses and may hold spaces
        return text.substring(text.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * Puts Fashion-MNIST into the bucket (datasets/fashion-mnist/), from the local folder where it is; elsewhere
     * generated MNIST-format data of its size (60,000 + 10,000 28x28 images), as nothing may be downloaded.
     */
    private String fashionMnistInBucket(Path datasets) throws Exception {
        Path local = datasets.resolve("fashion-mnist");
        Map<String, byte[]> files = new LinkedHashMap<>();
        String data;
        if (TinyMnist.FILES.stream().allMatch(f -> Files.isRegularFile(local.resolve(f)))) {
            for (String f : TinyMnist.FILES) {
                files.put(f, Files.readAllBytes(local.resolve(f)));
            }
            data = "Fashion-MNIST (" + local + ", 60000 train + 10000 test)";
        } else {
            files.putAll(TinyMnist.dataset(60_000, 10_000));
            data = "generated MNIST-format data of Fashion-MNIST's size (60000 train + 10000 test 28x28; no "
                    + local + ")";
        }
        var s3 = stack.s3Client();
        for (var file : files.entrySet()) {
            s3.putObject(PutObjectArgs.builder().bucket(PipelineStack.BUCKET)
                    .object("datasets/fashion-mnist/" + file.getKey())
                    .stream(new ByteArrayInputStream(file.getValue()), (long) file.getValue().length, -1L).build());
        }
        return data;
    }

    // ----------------------------------------------------------------------------------------------------------- rss

    /** One resident-set sample of the trainer process, taken when the bench saw the PROGRESS event of a step. */
    record RssSample(long step, long seenAtStep, long rssKb, long rssAnonKb, long rssFileKb, long heapRangeRssKb,
            double heapUsedMb, double heapCommittedMb, double liveDataMb, double allocatedMb, double seconds) {
    }

    private ObjectNode rss(int rssSteps, boolean nmt, List<String> table) throws Exception {
        int train = 4096; // the synthetic dataset's training examples
        int batch = 16;
        int stepsPerEpoch = train / batch;
        int epochs = rssSteps / stepsPerEpoch + 1;
        Map<String, Object> spec = Map.of("dataset", "synthetic", "method", "fa", "epochs", epochs, "batchSize",
                batch);
        long pid = stack.trainer().pid();
        long[] heapRange = heapRange(pid);
        List<Long> targets = new ArrayList<>(List.of(100L));
        for (long s = 1000; s < rssSteps; s += 1000) {
            targets.add(s);
        }
        targets.add((long) rssSteps);
        List<RssSample> samples = new CopyOnWriteArrayList<>();
        String[] nmtDiff = new String[1];
        AtomicReference<String> runId = new AtomicReference<>();
        long start = System.nanoTime();
        Set<Long> done = ConcurrentHashMap.newKeySet();
        Consumer<RunEvent> watcher = e -> {
            if (e.type() != RunEventType.PROGRESS || !e.runId().equals(runId.get()) || e.step() == null) {
                return;
            }
            for (long target : targets) {
                if (e.step() >= target && done.add(target)) {
                    // the resident set first: it is what the figure is about, the metrics scrape comes after it
                    long[] rss = rssOf(pid);
                    long inHeap = rssWithin(pid, heapRange);
                    double[] heap = heapOf(stack.trainer().url());
                    samples.add(new RssSample(target, e.step(), rss[0], rss[1], rss[2], inHeap, heap[0], heap[1],
                            heap[2], heap[3], (System.nanoTime() - start) / 1e9));
                    if (nmt && target == 1000) {
                        jcmd(pid, "VM.native_memory", "baseline");
                    } else if (nmt && target == rssSteps) {
                        nmtDiff[0] = jcmd(pid, "VM.native_memory", "summary.diff");
                    }
                }
            }
        };
        say("rss: " + stepsPerEpoch * epochs + " steps, sampling the trainer (pid " + pid + ") at " + targets);
        events.watch(watcher);
        Map<String, Double> cpuBefore = cpu();
        // the run's PROGRESS event of step 100 comes long after the POST has been answered and runId set
        Submitted run = submit(spec);
        runId.set(run.id());
        List<Seen> seen = requireSucceeded(run.id());
        events.unwatch(watcher);
        Map<String, Double> cpuAfter = cpu();
        double inSteps = sample(scrape(stack.trainer().url()), "falab_training_step_duration_seconds_sum",
                "run_id=\"" + run.id() + "\"");
        RunEvent succeeded = first(seen, RunEventType.SUCCEEDED);
        List<RssSample> sorted = samples.stream().sorted(Comparator.comparingLong(RssSample::step)).toList();
        RssSample at100 = sorted.stream().filter(s -> s.step() == 100).findFirst().orElseThrow();
        RssSample atEnd = sorted.stream().filter(s -> s.step() == rssSteps).findFirst().orElseThrow();
        double ratio = (double) atEnd.rssKb() / at100.rssKb();
        RssSample from = sorted.stream().filter(s -> s.step() == 1000).findFirst().orElse(at100);
        double allocatedPerStepKb = (atEnd.allocatedMb() - from.allocatedMb()) * 1024 / (atEnd.step() - from.step());
        Duration settled = settle(run.id());
        ObjectNode node = ContractJson.object();
        node.put("definition", "VmRSS (and RssAnon, RssFile) of /proc/<trainer pid>/status, read when the bench's Kafka "
                + "consumer sees the run's PROGRESS event of the step (every 20 steps), so a few steps late (seenAtStep); "
                + "heapRangeRss: resident kB of /proc/<pid>/smaps mappings inside the Java heap's reserved range (jcmd "
                + "GC.heap_info), the rest of RssAnon is outside the heap (libtorch, JIT code, metaspace, GC structures, "
                + "stacks); heap from the trainer's /q/metrics right after (jvm_memory_used_bytes and _committed_bytes, "
                + "area heap; jvm_gc_live_data_size_bytes: old generation after the last collection; "
                + "jvm_gc_memory_allocated_bytes_total); the trainer had trained a warm-up run before; trainer JVM "
                + "-Xmx512m " + String.join(" ", trainerJvmOptions));
        node.set("spec", ContractJson.tree(spec));
        node.put("runId", run.id()).put("steps", succeeded.step()).put("wallS", round(seconds(run.before(),
                succeeded.time()))).put("probes", runView(run.id()).path("snapshots").size())
                .put("analysisTrailedS", round(settled.toMillis() / 1000.0)).put("inStepsS", round(inSteps))
                .put("meanStepMs", round(1000 * inSteps / succeeded.step()));
        ObjectNode cpu = node.putObject("cpuS");
        cpuAfter.forEach((k, v) -> cpu.put(k, round(v - cpuBefore.getOrDefault(k, 0.0))));
        node.put("rssRatio", Math.round(ratio * 10000) / 10000.0).put("target", "within 5% (ratio 0.95-1.05)")
                .put("heapAllocatedPerStepKiB", round(allocatedPerStepKb));
        node.set("samples", ContractJson.tree(sorted));
        if (nmtDiff[0] != null) {
            node.put("nativeMemoryDiffFromStep1000", nmtDiff[0]);
        }
        table.add("");
        table.add(String.format(Locale.ROOT, "Trainer RSS over one long run: synthetic MLP 32-256-256-10, fa, batch %d, "
                + "%d epochs, %d steps, %d probes, %.0f s:", batch, epochs, succeeded.step(),
                node.path("probes").asInt(), node.path("wallS").asDouble()));
        table.add(String.format(Locale.ROOT, "  %-6s %7s %9s %9s %9s %9s %9s %9s %9s %9s", "step", "seen at", "VmRSS",
                "anon", "file", "in heap", "anon out", "heap", "heap", "live"));
        table.add(String.format(Locale.ROOT, "  %-6s %7s %9s %9s %9s %9s %9s %9s %9s %9s", "", "", "MiB", "MiB", "MiB",
                "range", "of heap", "used", "committed", "data"));
        for (RssSample s : sorted) {
            table.add(String.format(Locale.ROOT, "  %-6d %7d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f",
                    s.step(), s.seenAtStep(), s.rssKb() / 1024.0, s.rssAnonKb() / 1024.0, s.rssFileKb() / 1024.0,
                    s.heapRangeRssKb() / 1024.0, (s.rssAnonKb() - s.heapRangeRssKb()) / 1024.0, s.heapUsedMb(),
                    s.heapCommittedMb(), s.liveDataMb()));
        }
        table.add(String.format(Locale.ROOT, "  VmRSS at step %d / at step 100 = %.4f (target within 5%%)", rssSteps,
                ratio));
        table.add(String.format(Locale.ROOT, "  Java heap allocated per step (steps %d to %d): %.1f KiB; in steps "
                + "%.1f s (mean %.2f ms)", from.step(), atEnd.step(), allocatedPerStepKb, inSteps,
                1000 * inSteps / succeeded.step()));
        table.add("  CPU s during the run: " + cpu);
        if (nmtDiff[0] != null) {
            table.add("  native memory tracking, step 1000 to step " + rssSteps + " (committed):");
            nmtDiff[0].lines().filter(l -> l.contains("committed=") && (l.startsWith("Total") || l.startsWith("-")))
                    .forEach(l -> table.add("    " + l.trim()));
        }
        return node;
    }

    /**
     * The Java heap's reserved address range [from, to) of a JVM, from {@code jcmd <pid> GC.heap_info} (asked once:
     * the range does not move), or {0, 0} where that cannot be read.
     */
    private static long[] heapRange(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("heap\\s+total.*\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)").matcher(out);
            if (m.find()) {
                return new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)};
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the figure is left out (0)
        }
        return new long[] {0, 0};
    }

    /** Resident kB of a process's mappings inside [from, to), from /proc/<pid>/smaps. */
    private static long rssWithin(long pid, long[] range) {
        if (range[1] == 0) {
            return 0;
        }
        long kb = 0;
        boolean inside = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                    long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                    inside = from >= range[0] && from < range[1];
                } else if (inside && line.startsWith("Rss:")) {
                    kb += Long.parseLong(line.split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return kb;
    }

    /** VmRSS, RssAnon and RssFile of a process, kB. */
    private static long[] rssOf(long pid) {
        long[] kb = new long[3];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                String[] f = line.split("\\s+");
                switch (f[0]) {
                    case "VmRSS:" -> kb[0] = Long.parseLong(f[1]);
                    case "RssAnon:" -> kb[1] = Long.parseLong(f[1]);
                    case "RssFile:" -> kb[2] = Long.parseLong(f[1]);
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
        return kb;
    }

    /** {@code jcmd <pid> args...}: its output. */
    private static String jcmd(long pid, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), String.valueOf(pid)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "jcmd failed: " + e;
        }
    }

    /** Heap used, heap committed, old-generation live data after the last collection, heap allocated so far, MiB. */
    private double[] heapOf(String url) {
        try {
            String metrics = scrape(url);
            return new double[] {sample(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20),
                    sample(metrics, "jvm_memory_committed_bytes", "area=\"heap\"") / (1 << 20),
                    sample(metrics, "jvm_gc_live_data_size_bytes", "") / (1 << 20),
                    sample(metrics, "jvm_gc_memory_allocated_bytes_total", "") / (1 << 20)};
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
    }

    // ------------------------------------------------------------------------------------------------------ plumbing

    record Submitted(String id, Instant before, Instant accepted) {
    }

    private Submitted submit(Map<String, Object> spec) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(stack.gateway().url() + "/api/v1/runs"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + stack.token())
                .POST(HttpRequest.BodyPublishers.ofString(ContractJson.write(spec))).build();
        Instant before = Instant.now();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        Instant accepted = Instant.now();
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /api/v1/runs answered " + response.statusCode() + ": "
                    + response.body());
        }
        return new Submitted(ContractJson.readTree(response.body()).path("id").asText(), before, accepted);
    }

    private List<Seen> requireSucceeded(String id) {
        List<Seen> seen = events.await(id, e -> e.type() == RunEventType.SUCCEEDED || e.type() == RunEventType.FAILED,
                RUN_TIMEOUT);
        RunEvent last = seen.get(seen.size() - 1).event();
        if (last.type() != RunEventType.SUCCEEDED) {
            throw new IllegalStateException("run " + id + " failed: " + last.reason() + " (trainer log: "
                    + stack.trainer().log() + ")");
        }
        return seen;
    }

    /**
     * Waits until the analysis service has analysed every snapshot of the run (as the gateway's run view shows),
     * so that its work does not compete with the next measurement for the CPU; returns how long that took.
     */
    private Duration settle(String id) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode view = runView(id);
            Set<Long> probed = new HashSet<>();
            view.path("snapshots").forEach(s -> probed.add(s.path("step").asLong()));
            Set<Long> analysed = new HashSet<>();
            view.path("analysis").forEach(a -> analysed.add(a.path("step").asLong()));
            if (!probed.isEmpty() && analysed.containsAll(probed)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(250);
        }
        say("the analysis of run " + id + " did not catch up within 5 minutes; going on");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private JsonNode runView(String id) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(stack.gateway().url() + "/api/v1/runs/" + id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + stack.token()).build(),
                HttpResponse.BodyHandlers.ofString());
        return ContractJson.readTree(response.body());
    }

    private String scrape(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sum of the samples of one metric whose labels contain {@code labels} (Prometheus text format). */
    static double sample(String exposition, String name, String labels) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            if (key.contains(labels)) {
                sum += Double.parseDouble(line.substring(space + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no sample of " + name + " with " + labels + " in the trainer's metrics");
        }
        return sum;
    }

    /** {@link #sample} of every series of {@code name}, or 0 before the trainer has registered it. */
    private static double sampleOrZero(String exposition, String name) {
        return exposition.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                ? sample(exposition, name, "") : 0;
    }

    /** The time of the trainer's first log line holding {@code text}, if its log has one (yyyy-MM-dd HH:mm:ss,SSS). */
    private Optional<Instant> trainerLogTime(String text) {
        try {
            for (String line : Files.readAllLines(stack.trainer().log())) {
                if (line.contains(text)) {
                    Matcher m = LOG_TIME.matcher(line);
                    if (m.find()) {
                        LocalDateTime time = LocalDateTime.parse(m.group(1),
                                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"));
                        return Optional.of(time.atZone(ZoneId.systemDefault()).toInstant());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the log's format is not a contract: the figure is left out
        }
        return Optional.empty();
    }

    /** A run event and when the bench's consumer received it. */
    record Seen(RunEvent event, Instant received) {
    }

    /** Every event of {@code falab.run-events}, followed by one plain consumer on its own thread, by run. */
    static final class RunEvents implements AutoCloseable {
        private final Map<String, List<Seen>> byRun = new ConcurrentHashMap<>();
        private final List<Consumer<RunEvent>> watchers = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;

        private RunEvents(String bootstrapServers) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "pipeline-bench-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    // an event is handed over as soon as the broker has it
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50"),
                    new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(Topics.RUN_EVENTS));
            thread = new Thread(() -> {
                try (consumer) {
                    while (!stopped) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            Instant received = Instant.now();
                            RunEvent event = ContractJson.read(r.value(), RunEvent.class);
                            byRun.computeIfAbsent(event.runId(), k -> new CopyOnWriteArrayList<>())
                                    .add(new Seen(event, received));
                            watchers.forEach(w -> w.accept(event));
                            synchronized (this) {
                                notifyAll();
                            }
                        }
                    }
                }
            }, "run-events");
            thread.setDaemon(true);
            thread.start();
        }

        static RunEvents follow(String bootstrapServers) {
            return new RunEvents(bootstrapServers);
        }

        void watch(Consumer<RunEvent> watcher) {
            watchers.add(watcher);
        }

        void unwatch(Consumer<RunEvent> watcher) {
            watchers.remove(watcher);
        }

        /** The run's events up to the first that {@code until} accepts, once it has arrived. */
        synchronized List<Seen> await(String runId, Predicate<RunEvent> until, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Seen> seen = byRun.getOrDefault(runId, List.of());
                for (int i = 0; i < seen.size(); i++) {
                    if (until.test(seen.get(i).event())) {
                        return List.copyOf(seen.subList(0, i + 1));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    throw new IllegalStateException("run " + runId + ": no such event within " + timeout
                            + " (events seen: " + seen.stream().map(s -> s.event().type()).toList() + ")");
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(5000);
        }
    }

    private static RunEvent first(List<Seen> seen, RunEventType type) {
        return seen.stream().map(Seen::event).filter(e -> e.type() == type).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type + " event"));
    }

    private static List<RunEvent> all(List<Seen> seen, RunEventType type) {
        return seen.stream().map(Seen::event).filter(e -> e.type() == type).toList();
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static ObjectNode stats(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        ObjectNode node = ContractJson.object();
        node.put("median", round(Benchmarks.quantile(sorted, 0.5))).put("p10", round(Benchmarks.quantile(sorted, 0.1)))
                .put("p90", round(Benchmarks.quantile(sorted, 0.9))).put("min", round(sorted[0]))
                .put("max", round(sorted[sorted.length - 1])).put("n", sorted.length);
        return node;
    }

    private static String cell(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", Benchmarks.quantile(sorted, 0.5), Benchmarks.quantile(sorted, 0.1),
                Benchmarks.quantile(sorted, 0.9));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void say(String message) {
        System.out.println("bench-pipeline: " + message);
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            say("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
