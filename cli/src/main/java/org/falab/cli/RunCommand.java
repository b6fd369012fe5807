package org.falab.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code falab run submit|list|watch|cancel}: one run at a time. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Submit, list, watch and cancel runs.",
        subcommands = {RunSubmitCommand.class, RunListCommand.class, RunWatchCommand.class, RunCancelCommand.class},
        footer = {"", FalabCli.EXIT_STATUS})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: submit, list, watch or cancel");
    }
}
