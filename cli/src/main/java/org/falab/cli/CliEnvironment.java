package org.falab.cli;

import java.net.URI;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What the commands need from outside: a gateway client for a URL and a token, and a clock to wait with. */
public record CliEnvironment(BiFunction<URI, Optional<String>, Gateway> gateways, Ticker ticker) {

    /** A gateway that needs no token (tests' in-memory ones). */
    public CliEnvironment(Function<URI, Gateway> gateways, Ticker ticker) {
        this((uri, token) -> gateways.apply(uri), ticker);
    }

    /** The real thing: HTTP and the system clock. */
    public static CliEnvironment system() {
        return new CliEnvironment(HttpGateway::new, Ticker.SYSTEM);
    }

    Gateway connect(GatewayOption gateway) {
        return gateways.apply(gateway.gateway(), gateway.token());
    }
}
