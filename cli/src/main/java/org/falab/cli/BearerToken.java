package org.falab.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the CLI sends, first found of: {@code FALAB_TOKEN}; {@code --token-file}; for a gateway on this
 * machine only, the local stack's {@code auth/token} (in {@code FALAB_HOME}, else {@code .falab} in the working
 * folder, else {@code .falab} of the checkout the jar was built in, as ./falab keeps it); else none.
 */
final class BearerToken {

    /** The local stack's token file under its state folder (./falab up writes it, mode 600). */
    static final String STACK_TOKEN = "auth/token";

    private BearerToken() {
    }

    static Optional<String> find(URI gateway, Path tokenFile, Map<String, String> env) {
        String fromEnv = env.get("FALAB_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        if (tokenFile != null) {
            return Optional.of(read(tokenFile));
        }
        if (!isLocal(gateway)) {
            // the local stack's token is for the local stack: never sent to another host
            return Optional.empty();
        }
        for (Path state : stateFolders(env)) {
            Path file = state.resolve(STACK_TOKEN);
            if (Files.isReadable(file)) {
                return Optional.of(read(file));
            }
        }
        return Optional.empty();
    }

    private static java.util.List<Path> stateFolders(Map<String, String> env) {
        java.util.List<Path> folders = new java.util.ArrayList<>();
        String home = env.get("FALAB_HOME");
        if (home != null && !home.isBlank()) {
            folders.add(Path.of(home));
        }
        folders.add(Path.of(".falab"));
        try {
            // cli/target/falab-cli.jar -> the checkout
            Path jar = Path.of(BearerToken.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.getParent() != null && jar.getParent().getParent() != null
                    && jar.getParent().getParent().getParent() != null) {
                folders.add(jar.getParent().getParent().getParent().resolve(".falab"));
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source (an unusual class loader): the other places still count
        }
        return folders;
    }

    static boolean isLocal(URI gateway) {
        try {
            return gateway.getHost() != null && InetAddress.getByName(gateway.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.isEmpty()) {
                throw new Unreadable("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new Unreadable("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    /** A token file that cannot be used: a usage error ({@link FalabCli#EXIT_USAGE}). */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }
}
