package org.falab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code falab run cancel ID}: {@code POST /api/v1/runs/{id}/cancel}; prints the run's state (CANCELLED at once
 * for a run no trainer started, else CANCELLING until its trainer stops). The exit status says whether the gateway
 * took the cancellation (0), not how the run ended: {@code falab run watch ID} returns 3 once it is CANCELLED.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cancel a run: CANCELLED at once if no trainer started it, else CANCELLING until its trainer "
                + "stops (falab run watch ID then exits 3). Exit 0 when the gateway took the cancellation; a run "
                + "that already ended is refused (409, exit 2).",
        footer = {"", FalabCli.EXIT_STATUS})
public final class RunCancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Parameters(paramLabel = "ID", description = "The run's id.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown with its CANCELLED event.")
    String reason;

    private final CliEnvironment environment;

    public RunCancelCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        JsonNode run = environment.connect(gateway).cancelRun(id, reason);
        PrintWriter out = spec.commandLine().getOut();
        out.println(run.path("id").asText(id) + " " + RunViews.state(run));
        out.flush();
        return FalabCli.EXIT_OK;
    }
}
