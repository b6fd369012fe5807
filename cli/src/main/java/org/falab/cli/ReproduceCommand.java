package org.falab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code falab reproduce}: submits one sweep ({@link SweepBody}, or with {@code --study} the study's {@link
 * StudySweep}) through {@code POST /api/v1/sweeps}, follows it, prints (and with {@code --out} writes) the Markdown
 * tables of {@link SweepReport}, and writes the figures and results.md of {@link StudyReport} into {@code --out-dir};
 * with {@code --report} all of it for a sweep submitted before.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit one sweep of BP, FA, FA+Muon, FA+batch-norm, FA+layer-norm x models x seeds and print "
                + "mean and spread over seeds of test accuracy and of each layer's effective ranks "
                + "(docs/RESULTS.md).",
        footer = {"", FalabCli.EXIT_STATUS})
public final class ReproduceCommand implements Callable<Integer> {

    static final Duration POLL = Duration.ofSeconds(10);
    static final Duration ANALYSIS_TIMEOUT = Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Option(names = "--dataset", paramLabel = "DATASET", defaultValue = "fashion-mnist",
            description = "fashion-mnist, mnist, cifar10, cifar100 or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--models", paramLabel = "MODEL", split = ",", defaultValue = "mlp,cnn",
            description = "Models of the grid: mlp, cnn, resnet18, resnet20 (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--seeds", paramLabel = "SEED", split = ",", defaultValue = "1,2,3",
            description = "Seeds of the grid (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
            description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-subset", paramLabel = "N",
            description = "Train on the first N training examples only (default: all).")
    Integer trainSubset;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.005",
            description = "SGD learning rate of every variant but FA+Muon (Muon: " + SweepBody.MUON_LEARNING_RATE
                    + "; default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the tables (Markdown) to FILE.")
    Path out;

    @Option(names = "--study",
            description = "Submit the study's sweep (docs/RESULTS.md): 18 variants (8 SGD rules at learning rates "
                    + StudySweep.STUDY_LEARNING_RATE + " and " + StudySweep.STABLE_LEARNING_RATE + ", FA+Muon, "
                    + "BP+Muon) x mlp,cnn x seeds 0-4, 5 epochs, all of Fashion-MNIST, probes from step 0. "
                    + "--dataset, --models, --seeds, --epochs, --train-subset, --test-subset narrow it when given.")
    boolean study;

    @Option(names = "--test-subset", paramLabel = "N",
            description = "--study only: test on the first N test examples only (default: all).")
    Integer testSubset;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Write the figures (PNG) and results.md (tables, figures' links) into DIR (default: "
                    + ".falab/reproduce/SWEEP_ID in the working directory).")
    Path outDir;

    @Option(names = "--report", paramLabel = "SWEEP_ID",
            description = "Do not submit: print (and --out write) the tables of the sweep SWEEP_ID submitted "
                    + "before.")
    String report;

    private final CliEnvironment environment;

    public ReproduceCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter console = spec.commandLine().getOut();
        Gateway client = environment.connect(gateway);
        long start = environment.ticker().nanoTime();
        String id;
        String request = null;
        if (report != null) {
            id = report;
        } else {
            ObjectNode body = study ? StudySweep.body(scale()) : SweepBody.of(options());
            request = ResultsCommand.pretty(body);
            console.printf("submitting the %s to %s: %s, models %s, seeds %s, %s epochs%s%n",
                    study ? "study's sweep" : "sweep", client.location(), body.path("base").path("dataset").asText(),
                    joined(body.path("grid").path("model")), joined(body.path("grid").path("seed")),
                    body.path("base").path("epochs").asText(), body.path("base").has("trainSubset")
                            ? ", first " + body.path("base").path("trainSubset").asText() + " training examples" : "");
            JsonNode accepted = client.submitSweep(body);
            id = GatewayException.idOf(accepted, client.location(), "the sweep");
            console.printf("submitted %s: %d runs%n", id, accepted.path("runs").size());
            console.flush();
        }
        JsonNode sweep = new SweepWatcher(client, environment.ticker(), environment.display(console), POLL,
                ANALYSIS_TIMEOUT).await(id);
        Double seconds = report != null ? null : (environment.ticker().nanoTime() - start) / 1e9;
        String tables = SweepReport.tables(client, sweep, request, seconds);
        console.println();
        console.println(tables);
        if (out != null) {
            try {
                Files.writeString(out, tables);
                console.println("written to " + out);
            } catch (IOException e) {
                spec.commandLine().getErr().println("falab: cannot write " + out + ": " + e);
                spec.commandLine().getErr().flush();
                console.flush();
                return FalabCli.EXIT_RUN_FAILED;
            }
        }
        Path dir = outDir != null ? outDir : Path.of(".falab", "reproduce", sweep.path("id").asText(id));
        try {
            StudyReport.Written written = StudyReport.write(client, sweep, request, seconds, dir);
            console.printf("figures and results written to %s (%d figures)%n", written.markdown(),
                    written.figures().size());
        } catch (IOException e) {
            spec.commandLine().getErr().println("falab: cannot write the figures into " + dir + ": " + e);
            spec.commandLine().getErr().flush();
            console.flush();
            return FalabCli.EXIT_RUN_FAILED;
        }
        console.flush();
        return SweepReport.exitCode(sweep);
    }

    private static String joined(JsonNode values) {
        List<String> texts = new java.util.ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return String.join(",", texts);
    }

    /** The study's sweep narrowed by the options given on the command line (the others keep the study's). */
    StudySweep.Scale scale() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        return new StudySweep.Scale(given.hasMatchedOption("--dataset") ? dataset : null,
                given.hasMatchedOption("--models") ? List.copyOf(models) : null,
                given.hasMatchedOption("--seeds") ? List.copyOf(seeds) : null,
                given.hasMatchedOption("--epochs") ? epochs : null, trainSubset, testSubset);
    }

    SweepBody.Options options() {
        return new SweepBody.Options(dataset, List.copyOf(models), List.copyOf(seeds), epochs, trainSubset,
                learningRate);
    }

    private void validate() {
        if (report != null && report.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--report needs a sweep id, e.g. sweep-e391f9102f1b");
        }
        if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
            throw new ParameterException(spec.commandLine(), "--models needs at least one model, e.g. mlp,cnn");
        }
        if (seeds.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--seeds needs at least one seed, e.g. 1,2,3");
        }
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1");
        }
        if (trainSubset != null && trainSubset < 1) {
            throw new ParameterException(spec.commandLine(), "--train-subset must be at least 1");
        }
        if (study && spec.commandLine().getParseResult().hasMatchedOption("--learning-rate")) {
            throw new ParameterException(spec.commandLine(), "--learning-rate does not go with --study: the study "
                    + "has its two rates (" + StudySweep.STUDY_LEARNING_RATE + " and "
                    + StudySweep.STABLE_LEARNING_RATE + ")");
        }
        if (testSubset != null && (!study || testSubset < 1)) {
            throw new ParameterException(spec.commandLine(), "--test-subset must be at least 1 and goes with "
                    + "--study only");
        }
        if (outDir != null && Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new ParameterException(spec.commandLine(), "--out-dir " + outDir + ": not a folder");
        }
        if (!(learningRate > 0)) {
            throw new ParameterException(spec.commandLine(), "--learning-rate must be greater than 0");
        }
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (Files.isDirectory(out) || (parent != null && !Files.isDirectory(parent))) {
                throw new ParameterException(spec.commandLine(), "--out " + out + ": not a file in an existing "
                        + "folder");
            }
        }
    }
}
