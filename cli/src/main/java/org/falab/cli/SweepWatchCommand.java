package org.falab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code falab sweep watch ID}: one progress bar per run ({@link SweepWatcher}) until every run ended and the
 * analysis is in, then the sweep's tables ({@link SweepReport}). Exit 0 when every run SUCCEEDED, 1 when one FAILED,
 * else 3 when one was CANCELLED.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Follow a sweep, one progress bar per run, until every run ended; then print mean and spread "
                + "over seeds of test accuracy and of each layer's effective ranks per cell.",
        footer = {"", FalabCli.EXIT_STATUS})
public final class SweepWatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Parameters(paramLabel = "ID", description = "The sweep's id, e.g. sweep-e391f9102f1b.")
    String id;

    private final CliEnvironment environment;

    public SweepWatchCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        return follow(environment, environment.connect(gateway), id, spec.commandLine().getOut());
    }

    /** Follows sweep {@code id} to its end, prints its tables; its outcome's exit code. */
    static int follow(CliEnvironment environment, Gateway client, String id, PrintWriter out)
            throws InterruptedException {
        JsonNode sweep = new SweepWatcher(client, environment.ticker(), environment.display(out),
                DemoCommand.POLL, ReproduceCommand.ANALYSIS_TIMEOUT).await(id);
        out.println();
        out.println(SweepReport.tables(client, sweep, null, null));
        out.flush();
        return SweepReport.exitCode(sweep);
    }
}
