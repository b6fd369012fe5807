package org.falab.cli;

import java.util.Collection;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code falab}, the client of the falab gateway: {@code java -jar cli/target/falab-cli.jar run|sweep|results|demo|
 * reproduce ...}. It talks to the gateway's HTTP API only, through {@link Gateway}.
 */
@Command(name = "falab", mixinStandardHelpOptions = true, versionProvider = FalabCli.Version.class,
        description = {"The falab client: submits runs and sweeps to a falab gateway over HTTP and prints their "
                + "results. (./falab in the checkout starts the local stack and calls this.)"},
        subcommands = {RunCommand.class, SweepCommand.class, ResultsCommand.class, DemoCommand.class,
                ReproduceCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
        footer = {"", FalabCli.EXIT_STATUS})
public final class FalabCli implements Callable<Integer> {

    /** The exit codes, as every command's help shows them. */
    static final String EXIT_STATUS = "Exit status: 0 succeeded (every run SUCCEEDED), 1 a run FAILED, 2 bad usage "
            + "(a bad option, or a request the gateway refused with 4xx: an invalid field, an unknown id, a missing or refused token), 3 a run "
            + "was CANCELLED, 4 the gateway is unreachable or failed (5xx).";
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    public static final int EXIT_CANCELLED = 3;
    public static final int EXIT_GATEWAY = 4;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /** The command line with its subcommands, wired to {@code environment}; exit codes as documented. */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                // a command that talks to the gateway takes the environment; the rest are picocli's own
                try {
                    return type.getConstructor(CliEnvironment.class).newInstance(environment);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine commandLine = new CommandLine(new FalabCli(), factory);
        RunSubmitCommand.addSpecOptions(commandLine.getSubcommands().get("run").getSubcommands().get("submit"));
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof GatewayException gatewayException) {
                command.getOut().flush();
                gatewayException.describe().forEach(command.getErr()::println);
                command.getErr().flush();
                return exitCode(gatewayException);
            }
            if (exception instanceof BearerToken.Unreadable unreadable) {
                command.getErr().println("falab: " + unreadable.getMessage());
                command.getErr().flush();
                return EXIT_USAGE;
            }
            throw exception;
        });
        return commandLine;
    }

    /** A 4xx is the user's request that the gateway refused (bad usage); no answer or a 5xx is the gateway's. */
    static int exitCode(GatewayException e) {
        return e.status() >= 400 && e.status() < 500 ? EXIT_USAGE : EXIT_GATEWAY;
    }

    /** The exit code of runs that ended: 1 if one FAILED, else 3 if one was CANCELLED, else 0. */
    static int exitCode(Collection<JsonNode> runs) {
        if (runs.stream().anyMatch(r -> RunViews.FAILED.equals(RunViews.state(r)))) {
            return EXIT_RUN_FAILED;
        }
        if (runs.stream().anyMatch(r -> RunViews.CANCELLED.equals(RunViews.state(r)))) {
            return EXIT_CANCELLED;
        }
        return runs.stream().allMatch(r -> RunViews.SUCCEEDED.equals(RunViews.state(r))) ? EXIT_OK : EXIT_RUN_FAILED;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: run, sweep, results, demo, "
                + "reproduce or token");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FalabCli.class.getPackage().getImplementationVersion();
            return new String[] {"falab-cli " + (version == null ? "(development build)" : version)};
        }
    }
}
