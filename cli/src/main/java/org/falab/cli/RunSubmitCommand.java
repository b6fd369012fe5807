package org.falab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code falab run submit}: a run spec from {@code --spec FILE} and the options (one per field of the contract's
 * RunSpec, {@link RunSpecOptions}; an option overrides the file's field), submitted through {@code POST
 * /api/v1/runs}. Prints the run id alone on its line, so that {@code id=$(falab run submit ...)} works; with
 * {@code --watch} then follows it as {@code run watch} does.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit one run and print its id. Every field of the run spec is an option; --spec FILE "
                + "gives a spec as JSON (the options override its fields). Only --dataset and --method are required; "
                + "the gateway fills in the other defaults and checks every bound.",
                "Example: falab run submit --dataset fashion-mnist --method fa --optimizer muon --norm batch "
                        + "--epochs 3 --watch"},
        footer = {"", FalabCli.EXIT_STATUS})
public final class RunSubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "A run spec as JSON (the body of POST /api/v1/runs); the options below override its fields.")
    Path specFile;

    @Option(names = "--watch", description = "Then follow the run as `falab run watch` does; the exit status is its "
            + "outcome.")
    boolean watch;

    @Mixin
    AnalysisTimeoutOption analysisTimeout;

    private final CliEnvironment environment;

    public RunSubmitCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The options of every RunSpec field, added to the {@code submit} command line. */
    static void addSpecOptions(CommandLine submit) {
        RunSpecOptions.addTo(submit.getCommandSpec());
    }

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode body = body();
        analysisTimeout.timeout(spec);
        PrintWriter out = spec.commandLine().getOut();
        Gateway client = environment.connect(gateway);
        JsonNode accepted = client.submitRun(body);
        String id = GatewayException.idOf(accepted, client.location(), "the run");
        out.println(id);
        out.flush();
        return watch ? RunWatchCommand.follow(environment, client, id, out, analysisTimeout.timeout(spec))
                : FalabCli.EXIT_OK;
    }

    /** The file's spec (or none) with the options over it. */
    ObjectNode body() {
        ObjectNode body = specFile == null ? ContractJson.object() : JsonFile.object(spec, specFile, "--spec");
        body.setAll(RunSpecOptions.given(spec.commandLine().getParseResult()));
        return body;
    }
}
