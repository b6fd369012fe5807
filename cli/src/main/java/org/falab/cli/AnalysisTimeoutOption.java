package org.falab.cli;

import java.time.Duration;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --analysis-timeout SECONDS}, shared by the commands that wait for runs. */
public final class AnalysisTimeoutOption {

    @Option(names = "--analysis-timeout", paramLabel = "SECONDS", defaultValue = "12",
            description = "After a run SUCCEEDED, wait at most this long for the analysis of its last probe "
                    + "(default: ${DEFAULT-VALUE}).")
    int seconds;

    Duration timeout(CommandSpec command) {
        if (seconds < 0) {
            throw new ParameterException(command.commandLine(), "--analysis-timeout must be at least 0");
        }
        return Duration.ofSeconds(seconds);
    }
}
