package org.falab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.auth.TokenMinter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code falab token}: mints a bearer token for the local stack with its private key (./falab up made the pair in
 * {@code .falab/auth}); {@code ./falab token --user U --role R} runs it. Prints the token, or writes it to a file
 * readable by its owner only.
 */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Mint a bearer token for the local stack's gateway (signed with .falab/auth/private-key.pem).",
        footer = {"", "Exit status: 0 minted, 2 bad usage or no key."})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "The token's subject: who owns "
            + "the runs submitted with it.")
    String user;

    @Option(names = "--role", required = true, paramLabel = "ROLE", split = ",",
            description = "viewer, researcher or admin (repeat or separate with commas for several).")
    List<String> roles;

    @Option(names = "--project", paramLabel = "PROJECT", split = ",", defaultValue = Claims.DEFAULT_PROJECT,
            description = "The projects the user belongs to (default: ${DEFAULT-VALUE}).")
    List<String> projects;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "12h", converter = Ttl.class,
            description = "How long it is valid: 30m, 12h, 90d, or ISO-8601 such as PT12H (default: "
                    + "${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--key-dir", paramLabel = "DIR", defaultValue = "${env:FALAB_HOME:-.falab}/auth",
            description = "The folder of private-key.pem (default: ${DEFAULT-VALUE}).")
    Path keyDir;

    @Option(names = "--create-key", description = "Create the key pair in --key-dir first when it has none "
            + "(./falab up does, on its first start).")
    boolean createKey;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the token to FILE (mode 600) instead of "
            + "printing it.")
    Path out;

    @Option(names = "--issuer", paramLabel = "ISSUER", defaultValue = Claims.LOCAL_ISSUER,
            description = "The iss claim: the gateway's mp.jwt.verify.issuer (default: ${DEFAULT-VALUE}).")
    String issuer;

    @Override
    public Integer call() {
        for (String role : roles) {
            if (!Claims.ROLES.contains(role)) {
                throw new ParameterException(spec.commandLine(), "--role " + role + " is not one of "
                        + Claims.ROLES);
            }
        }
        for (String project : projects) {
            if (!project.matches(Claims.PROJECT_PATTERN)) {
                throw new ParameterException(spec.commandLine(), "--project " + project + " does not match "
                        + Claims.PROJECT_PATTERN);
            }
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new ParameterException(spec.commandLine(), "--ttl must be positive");
        }
        try {
            if (createKey && TokenMinter.ensureKeyPair(keyDir)) {
                spec.commandLine().getErr().println("falab: created a key pair in " + keyDir);
            }
            if (!keyDir.resolve(TokenMinter.PRIVATE_KEY).toFile().isFile()) {
                throw new ParameterException(spec.commandLine(), "no " + TokenMinter.PRIVATE_KEY + " in " + keyDir
                        + ": start the local stack once (./falab up) or pass --key-dir DIR or --create-key");
            }
            String token = TokenMinter.of(keyDir, issuer).mint(user, roles, projects, ttl);
            if (out == null) {
                spec.commandLine().getOut().println(token);
            } else {
                TokenMinter.writePrivate(out, token + "\n");
            }
            return FalabCli.EXIT_OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 30m, 12h, 90d, 45s, or an ISO-8601 duration. */
    static final class Ttl implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.matches("\\d+[smhd]")) {
                    long n = Long.parseLong(v.substring(0, v.length() - 1));
                    return switch (v.charAt(v.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                }
                return Duration.parse(value.strip());
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 12h, 90d "
                        + "or PT30M");
            }
        }
    }
}
