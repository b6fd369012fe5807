package org.falab.cli;

import picocli.CommandLine.Option;

/** {@code --format table|csv|json}, shared by the commands that print data. */
public final class FormatOption {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
}
