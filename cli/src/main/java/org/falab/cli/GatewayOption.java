package org.falab.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --gateway URL} and {@code --token-file FILE}, shared by the subcommands. */
public final class GatewayOption {

    public static final String DEFAULT = "http://127.0.0.1:8080";

    @Option(names = "--gateway", paramLabel = "URL", converter = HttpUrl.class,
            defaultValue = "${env:FALAB_GATEWAY:-" + DEFAULT + "}",
            description = "Base URL of the falab gateway, of any host (env FALAB_GATEWAY; default: ${DEFAULT-VALUE}).")
    URI gateway;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token to send (env FALAB_TOKEN wins over it; default: the local "
                    + "stack's .falab/auth/token, for a gateway on this machine; ./falab token mints one).")
    Path tokenFile;

    public URI gateway() {
        return gateway;
    }

    /** The token to send, if any ({@link BearerToken}). */
    public Optional<String> token() {
        return BearerToken.find(gateway, tokenFile, System.getenv());
    }

    /** An absolute http or https URL with a host. */
    static final class HttpUrl implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI uri = new URI(value.strip());
                if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
                        || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
                    throw new CommandLine.TypeConversionException(
                            "'" + value + "' is not an http(s) URL such as " + DEFAULT);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a URL: " + e.getReason());
            }
        }
    }
}
