package org.falab.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code falab run watch ID}: the run's progress bar ({@link ProgressBar}: epoch, step, loss, accuracy, time left)
 * until it ends and its last probe is analysed ({@link RunWatcher}), then its tables ({@link RunReport}). The exit
 * status is its outcome: 0 SUCCEEDED, 1 FAILED, 3 CANCELLED.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Follow a run with a progress bar (epoch, step, loss, accuracy, ETA) until it ends, then print "
                + "its results and each layer's effective ranks at the last probe. The exit status is the run's "
                + "outcome.",
        footer = {"", FalabCli.EXIT_STATUS})
public final class RunWatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOption gateway;

    @Parameters(paramLabel = "ID", description = "The run's id, e.g. run-3f2a9c1b0d4e.")
    String id;

    @Mixin
    AnalysisTimeoutOption analysisTimeout;

    private final CliEnvironment environment;

    public RunWatchCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration timeout = analysisTimeout.timeout(spec);
        return follow(environment, environment.connect(gateway), id, spec.commandLine().getOut(), timeout);
    }

    /** Follows run {@code id} to its end, prints its tables; its outcome's exit code. */
    static int follow(CliEnvironment environment, Gateway client, String id, PrintWriter out, Duration analysisTimeout)
            throws InterruptedException {
        RunWatcher watcher = new RunWatcher(client, environment.ticker(), environment.display(out), DemoCommand.POLL,
                DemoCommand.ANALYSIS_POLL, analysisTimeout);
        JsonNode run = watcher.await(Map.of(id, "")).get(id);
        out.println();
        RunReport.print(out, List.of(run));
        return FalabCli.exitCode(List.of(run));
    }
}
