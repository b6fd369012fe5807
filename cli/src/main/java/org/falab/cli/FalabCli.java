package org.falab.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code falab}, the client of the falab gateway: {@code java -jar cli/target/falab-cli.jar demo|reproduce ...}.
 * It talks to the gateway's HTTP API only.
 */
@Command(name = "falab", mixinStandardHelpOptions = true, versionProvider = FalabCli.Version.class,
        description = {"The falab client: submits runs and sweeps to a falab gateway over HTTP and prints their "
                + "results. (./falab in the checkout starts the local stack and calls this.)"},
        subcommands = {DemoCommand.class, ReproduceCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
        footer = {"", FalabCli.EXIT_STATUS})
public final class FalabCli implements Callable<Integer> {

    /** The exit codes, as every command's help shows them. */
    static final String EXIT_STATUS = "Exit status: 0 every run SUCCEEDED, 1 a run FAILED, 2 bad usage (a missing "
            + "or refused token included), 3 the gateway is unreachable or refused a request.";
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    public static final int EXIT_GATEWAY = 3;

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
                if (type == DemoCommand.class) {
                    return type.cast(new DemoCommand(environment));
                }
                if (type == ReproduceCommand.class) {
                    return type.cast(new ReproduceCommand(environment));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new FalabCli(), factory);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof GatewayException gatewayException) {
                command.getOut().flush();
                gatewayException.describe().forEach(command.getErr()::println);
                command.getErr().flush();
                return gatewayException.isUnauthorized() ? EXIT_USAGE : EXIT_GATEWAY;
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

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: demo or reproduce");
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
