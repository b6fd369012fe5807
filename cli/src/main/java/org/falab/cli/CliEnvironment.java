package org.falab.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the commands need from outside: a gateway client for a URL and a token, a clock to wait with, and whether the
 * output is a terminal (progress bars redrawn in place) of how many columns.
 *
 * @param columns the terminal's width; 0 when {@code terminal} is false
 */
public record CliEnvironment(BiFunction<URI, Optional<String>, Gateway> gateways, Ticker ticker, boolean terminal,
        int columns) {

    /** A gateway that needs no token (tests' in-memory ones), not a terminal: progress as lines. */
    public CliEnvironment(Function<URI, Gateway> gateways, Ticker ticker) {
        this((uri, token) -> gateways.apply(uri), ticker, false, 0);
    }

    /** The real thing: HTTP, the system clock, and a terminal when the JVM has a console and TERM is not dumb. */
    public static CliEnvironment system() {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new CliEnvironment(HttpGateway::new, Ticker.SYSTEM, terminal, columns(System.getenv("COLUMNS")));
    }

    Gateway connect(GatewayOption gateway) {
        return gateways.apply(gateway.gateway(), gateway.token());
    }

    /** The progress display on {@code out}: redrawn on a terminal, else as lines. */
    ProgressDisplay display(PrintWriter out) {
        return new ProgressDisplay(out, terminal, columns);
    }

    /** COLUMNS (shells export it only sometimes), else 120. */
    static int columns(String value) {
        try {
            return value == null ? 120 : Math.max(20, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 120;
        }
    }
}
