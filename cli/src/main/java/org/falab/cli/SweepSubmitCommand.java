package org.falab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code falab sweep submit FILE}: the file's body ({@code {base, variants, grid}}) through {@code POST
 * /api/v1/sweeps}. Prints the sweep id alone on its line, then each run's id and cell on stderr; with
 * {@code --watch} then follows it as {@code sweep watch} does.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a sweep and print its id. FILE holds {\"base\": run spec, \"variants\": [partial "
                + "specs], \"grid\": {field: [values]}}: one run per variant x grid combination.",
                "Example FILE: {\"base\": {\"dataset\": \"mnist\", \"epochs\": 2}, \"variants\": [{\"method\": "
                        + "\"bp\"}, {\"method\": \"fa\", \"optimizer\": \"muon\"}], \"grid\": {\"seed\": [1, 2, 3]}}"},
        footer = {"", FalabCli.EXIT_STATUS})
public final class SweepSubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Parameters(paramLabel = "FILE", description = "The sweep as JSON (the body of POST /api/v1/sweeps).")
    Path file;

    @Option(names = "--watch", description = "Then follow the sweep as `falab sweep watch` does; the exit status is "
            + "its outcome.")
    boolean watch;

    private final CliEnvironment environment;

    public SweepSubmitCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        var body = JsonFile.object(spec, file, "FILE");
        Gateway client = environment.connect(gateway);
        JsonNode accepted = client.submitSweep(body);
        String id = GatewayException.idOf(accepted, client.location(), "the sweep");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println(id);
        out.flush();
        for (JsonNode run : accepted.path("runs")) {
            err.println(run.path("id").asText() + " " + SweepReport.cell(run.path("cell")));
        }
        err.flush();
        return watch ? SweepWatchCommand.follow(environment, client, id, out) : FalabCli.EXIT_OK;
    }
}
