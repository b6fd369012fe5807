package org.falab.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.auth.TokenMinter;

/**
 * Tokens for tests: a key pair made for this test run (its public key handed to the gateway), and tokens for any
 * user, roles and projects, good or bad (expired, signed by another key, of another issuer, unsigned). Needs
 * {@code falab-contracts} and {@code smallrye-jwt-build} on the test class path, and outside a Quarkus test also
 * JSON-P ({@code parsson}) and MicroProfile Config ({@code smallrye-config}), as e2e's pom has them.
 */
public final class LocalAuth {

    private final Path keyFolder;
    private final TokenMinter minter;
    private final TokenMinter otherKey;
    private final TokenMinter otherIssuer;

    private LocalAuth(Path keyFolder) throws IOException {
        this.keyFolder = keyFolder;
        TokenMinter.ensureKeyPair(keyFolder);
        this.minter = TokenMinter.of(keyFolder, Claims.LOCAL_ISSUER);
        KeyPair stranger = TokenMinter.newKeyPair();
        this.otherKey = new TokenMinter(stranger.getPrivate(), Claims.LOCAL_ISSUER);
        this.otherIssuer = new TokenMinter(TokenMinter.readPrivateKey(keyFolder.resolve(TokenMinter.PRIVATE_KEY)),
                "someone-else");
    }

    /** A fresh key pair in this folder (created if missing). */
    public static LocalAuth start(Path keyFolder) {
        try {
            return new LocalAuth(keyFolder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateway's settings for verifying these tokens. */
    public Map<String, String> config() {
        return Map.of(
                "mp.jwt.verify.publickey.location", publicKey().toUri().toString(),
                "mp.jwt.verify.issuer", Claims.LOCAL_ISSUER);
    }

    public Path publicKey() {
        return keyFolder.resolve(TokenMinter.PUBLIC_KEY);
    }

    /** A valid token (an hour) for a user with these roles in these projects. */
    public String token(String user, List<String> roles, List<String> projects) {
        return minter.mint(user, roles, projects, Duration.ofHours(1));
    }

    /** A token of one role in the default project. */
    public String token(String user, String role) {
        return token(user, List.of(role), List.of(Claims.DEFAULT_PROJECT));
    }

    /** Signed by the right key, expired a minute ago. */
    public String expired(String user, String role) {
        return minter.mint(user, List.of(role), List.of(Claims.DEFAULT_PROJECT), Duration.ofMinutes(-1));
    }

    /** Well formed, but signed by a key the gateway does not know. */
    public String wrongKey(String user, String role) {
        return otherKey.mint(user, List.of(role), List.of(Claims.DEFAULT_PROJECT), Duration.ofHours(1));
    }

    /** Signed by the right key, for another issuer. */
    public String wrongIssuer(String user, String role) {
        return otherIssuer.mint(user, List.of(role), List.of(Claims.DEFAULT_PROJECT), Duration.ofHours(1));
    }

    /** The claims of a valid token with {@code alg: none} and no signature (RFC 7519's unsecured JWT). */
    public String algNone(String user, String role) {
        String valid = token(user, role);
        String payload = valid.split("\\.")[1];
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
