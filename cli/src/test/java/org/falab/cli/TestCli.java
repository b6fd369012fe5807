package org.falab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

/** The CLI as {@code main} builds it, on a {@link FakeGateway} and a {@link FakeTicker}, its output kept. */
final class TestCli {

    final FakeTicker ticker = new FakeTicker();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final List<URI> connectedTo = new ArrayList<>();

    CommandLine commandLine(FakeGateway gateway) {
        CommandLine commandLine = FalabCli.commandLine(new CliEnvironment(uri -> {
            connectedTo.add(uri);
            return gateway;
        }, ticker));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine;
    }

    int execute(FakeGateway gateway, String... args) {
        return commandLine(gateway).execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
