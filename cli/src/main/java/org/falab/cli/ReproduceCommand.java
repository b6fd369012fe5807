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

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code falab reproduce}: submits one sweep ({@link SweepBody}) through {@code POST /api/v1/sweeps}, follows it,
 * and prints (and with {@code --out} writes) the Markdown tables of {@link SweepReport}; with {@code --report} the
 * tables of a sweep submitted before.
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
            ObjectNode body = SweepBody.of(options());
            request = ResultsCommand.pretty(body);
            console.printf("submitting the sweep to %s: %s, models %s, seeds %s, %d epochs%s%n", client.location(),
                    dataset, String.join(",", models), String.join(",", seeds.stream().map(String::valueOf).toList()),
                    epochs, trainSubset == null ? "" : ", first " + trainSubset + " training examples");
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
        console.flush();
        return SweepReport.exitCode(sweep);
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
