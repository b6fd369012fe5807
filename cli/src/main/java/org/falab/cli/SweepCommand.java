package org.falab.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code falab sweep submit|watch}: a grid of runs as one. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Submit and watch sweeps (one run per variant x grid cell).",
        subcommands = {SweepSubmitCommand.class, SweepWatchCommand.class},
        footer = {"", FalabCli.EXIT_STATUS})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: submit or watch");
    }
}
