package org.falab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.falab.contracts.auth.TokenMinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * Tokens on the client side: {@code token} mints one (RS256, the claims of the contract) with a key pair it makes
 * once; the client sends the one it finds ({@link BearerToken}) as {@code Authorization: Bearer} to a real HTTP
 * server; a 401 is a usage error (exit 2) that says what to do.
 */
class TokenTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;
    private final List<String> authorizations = new ArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int run(String... args) {
        CommandLine cli = FalabCli.commandLine(CliEnvironment.system());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void mintsASignedTokenWithTheContractsClaimsAndKeepsTheKeyPrivate() throws Exception {
        Path keys = dir.resolve("auth");
        Path file = dir.resolve("token");
        assertThat(run("token", "--key-dir", keys.toString(), "--create-key", "--user", "ada", "--role",
                "researcher,viewer", "--project", "vision,audio", "--ttl", "2h", "--out", file.toString()))
                .as(err.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(
                TokenMinter.PRIVATE_KEY)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        String token = Files.readString(file).strip();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(Base64.getUrlDecoder().decode(parts[0])).path("alg").asText()).isEqualTo("RS256");
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("falab-local");
        assertThat(claims.path("sub").asText()).isEqualTo("ada");
        assertThat(claims.path("groups").toString()).contains("researcher", "viewer");
        assertThat(claims.path("projects").toString()).isEqualTo("[\"vision\",\"audio\"]");
        long ttl = claims.path("exp").asLong() - claims.path("iat").asLong();
        assertThat(ttl).isBetween(7190L, 7210L);
        // signed by the private key of the pair: the public key verifies it
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(publicKey(keys.resolve(TokenMinter.PUBLIC_KEY)));
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        // a second --create-key keeps the pair
        String before = Files.readString(keys.resolve(TokenMinter.PUBLIC_KEY));
        assertThat(run("token", "--key-dir", keys.toString(), "--create-key", "--user", "bob", "--role",
                "viewer")).isZero();
        assertThat(Files.readString(keys.resolve(TokenMinter.PUBLIC_KEY))).isEqualTo(before);
        assertThat(out.toString().strip()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    @Test
    void badRolesAndAMissingKeyAreUsageErrors() {
        assertThat(run("token", "--key-dir", dir.toString(), "--user", "ada", "--role", "root")).isEqualTo(2);
        assertThat(err.toString()).contains("--role root is not one of");
        assertThat(run("token", "--key-dir", dir.toString(), "--user", "ada", "--role", "viewer")).isEqualTo(2);
        assertThat(err.toString()).contains("no private-key.pem in");
        assertThat(run("token", "--key-dir", dir.toString(), "--create-key", "--user", "ada", "--role", "viewer",
                "--ttl", "soon")).isEqualTo(2);
    }

    @Test
    void theTokenFoundIsSentAsBearerAndA401IsAUsageErrorSayingWhatToDo() throws Exception {
        serve();
        URI gateway = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        new HttpGateway(gateway, Optional.of("good-token")).run("run-000000000001");
        assertThat(authorizations).containsExactly("Bearer good-token");

        Path tokenFile = dir.resolve("bad");
        Files.writeString(tokenFile, "bad-token\n");
        int status = run("demo", "--gateway", gateway.toString(), "--token-file", tokenFile.toString(),
                "--epochs", "1");
        assertThat(authorizations).last().isEqualTo("Bearer bad-token");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("needs a valid bearer token", "the token sent was refused",
                "FALAB_TOKEN", "--token-file", "./falab token");

        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThat(run("demo", "--gateway", gateway.toString(), "--token-file", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is empty");
    }

    @Test
    void theTokenComesFromTheEnvironmentThenTheFileThenTheLocalStack() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("auth"));
        Files.writeString(home.resolve("auth/token"), "stack-token\n");
        Path file = dir.resolve("file");
        Files.writeString(file, "file-token\n");
        URI local = URI.create("http://127.0.0.1:8080");
        URI remote = URI.create("https://falab.example:443");
        Map<String, String> env = Map.of("FALAB_HOME", home.toString(), "FALAB_TOKEN", "env-token");
        Map<String, String> noToken = Map.of("FALAB_HOME", home.toString());

        assertThat(BearerToken.find(local, file, env)).contains("env-token");
        assertThat(BearerToken.find(local, file, noToken)).contains("file-token");
        assertThat(BearerToken.find(remote, file, noToken)).contains("file-token");
        assertThat(BearerToken.find(local, null, noToken)).contains("stack-token");
        // the local stack's token never goes to another host
        assertThat(BearerToken.find(remote, null, noToken)).isEmpty();
        assertThat(BearerToken.find(URI.create("http://localhost:8080"), null, noToken)).contains("stack-token");
    }

    /** Answers 401 problem+json unless the token is good-token, then a run view. */
    private void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization);
            boolean good = "Bearer good-token".equals(authorization);
            byte[] body = (good ? "{\"id\": \"run-000000000001\", \"state\": \"QUEUED\"}"
                    : "{\"type\": \"https://falab.org/problems/invalid-token\", \"title\": \"Unauthorized\", "
                    + "\"status\": 401, \"detail\": \"The bearer token is not valid.\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", good ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(good ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }
}
