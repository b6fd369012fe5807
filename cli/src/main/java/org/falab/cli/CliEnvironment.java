package org.falab.cli;

import java.net.URI;
import java.util.function.Function;

/** What the commands need from outside: a gateway client for a URL, and a clock to wait with. */
public record CliEnvironment(Function<URI, Gateway> gateways, Ticker ticker) {

    /** The real thing: HTTP and the system clock. */
    public static CliEnvironment system() {
        return new CliEnvironment(HttpGateway::new, Ticker.SYSTEM);
    }

    Gateway connect(URI gateway) {
        return gateways.apply(gateway);
    }
}
