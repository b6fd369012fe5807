package org.falab.cli;

/** {@code --format} of the commands that print data: a text table, RFC 4180 CSV ({@link Csv}), or the JSON. */
enum OutputFormat {
    table, csv, json
}
