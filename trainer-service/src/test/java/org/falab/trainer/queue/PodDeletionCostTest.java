package org.falab.trainer.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The trainer's own pod-deletion-cost against a local stand-in for the Kubernetes API server (com.sun.net.httpserver,
 * plain HTTP and HTTPS with its own CA): the exact request for busy and idle, off the caller's thread, failures
 * swallowed, and no request at all off Kubernetes.
 */
class PodDeletionCostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private volatile int status = 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private PodDeletionCost cost;

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> String.join(",", e.getValue())).orElse(null);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = (status == 200 ? "{\"kind\":\"Pod\"}" : "{\"kind\":\"Status\",\"reason\":\"Forbidden\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } finally {
            exchange.close();
        }
    }

    private String startHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Path token(String value) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, value + "\n");
        return token;
    }

    private static Map<String, String> pod(String name, String namespace) {
        Map<String, String> env = new HashMap<>();
        if (name != null) {
            env.put("POD_NAME", name);
        }
        if (namespace != null) {
            env.put("POD_NAMESPACE", namespace);
        }
        return env;
    }

    @AfterEach
    void stop() {
        hold.countDown();
        if (cost != null) {
            cost.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Request next() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the API server").isNotNull();
        return r;
    }

    private static void assertPatch(Request r, String path, String token, String value) throws IOException {
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.header("Content-Type")).isEqualTo("application/merge-patch+json");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + token);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body).isEqualTo(JSON.readTree(
                "{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"" + value + "\"}}}"));
    }

    @Test
    void busyAndIdlePatchTheOwnPodsAnnotation() throws Exception {
        String api = startHttp();
        cost = new PodDeletionCost(pod("trainer-service-7d9f-abcde", "falab"), token("tok-123"), dir.resolve("ca.crt"), api);
        assertThat(cost.active()).isTrue();

        cost.busy();
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-service-7d9f-abcde", "tok-123", "10000");
        cost.idle();
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-service-7d9f-abcde", "tok-123", "0");

        // the token is read for every request (a projected token rotates)
        token("tok-456");
        cost.busy();
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-service-7d9f-abcde", "tok-456", "10000");
        // the pod has that value already: nothing to send
        cost.busy();
        assertThat(cost.awaitSent(Duration.ofSeconds(10))).isTrue();
        assertThat(requests).isEmpty();
    }

    @Test
    void theCallerNeverWaitsForTheApiServerAndOnlyTheLatestWishIsSent() throws Exception {
        String api = startHttp();
        cost = new PodDeletionCost(pod("trainer-1", "falab"), token("tok"), dir.resolve("ca.crt"), api);
        hold = new CountDownLatch(1); // the API server answers nothing until released

        long start = System.nanoTime();
        cost.busy();
        Request first = next(); // under way, unanswered
        cost.idle();
        cost.busy();
        cost.idle();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertPatch(first, "/api/v1/namespaces/falab/pods/trainer-1", "tok", "10000");

        hold.countDown();
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-1", "tok", "0");
        assertThat(cost.awaitSent(Duration.ofSeconds(10))).isTrue();
        assertThat(requests).as("the busy() overtaken by idle() is not sent").isEmpty();
    }

    @Test
    void aRefusedOrFailedPatchIsNoExceptionAndTheNextCallTriesAgain() throws Exception {
        String api = startHttp();
        cost = new PodDeletionCost(pod("trainer-1", "falab"), token("tok"), dir.resolve("ca.crt"), api);
        status = 403;
        assertThatCode(cost::busy).doesNotThrowAnyException();
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-1", "tok", "10000");
        assertThat(cost.awaitSent(Duration.ofSeconds(10))).isTrue();

        status = 200;
        cost.busy(); // not applied before: sent again
        assertPatch(next(), "/api/v1/namespaces/falab/pods/trainer-1", "tok", "10000");
        assertThat(cost.awaitSent(Duration.ofSeconds(10))).isTrue();

        // no API server at all
        server.stop(0);
        server = null;
        PodDeletionCost unreachable = new PodDeletionCost(pod("trainer-1", "falab"), token("tok"), dir.resolve("ca.crt"), api);
        try {
            assertThatCode(unreachable::idle).doesNotThrowAnyException();
            assertThat(unreachable.awaitSent(Duration.ofSeconds(30))).isTrue();
            assertThatCode(unreachable::busy).doesNotThrowAnyException();
            assertThat(unreachable.awaitSent(Duration.ofSeconds(30))).isTrue();
        } finally {
            unreachable.close();
        }
    }

    @Test
    void noRequestOffKubernetes() throws Exception {
        String api = startHttp();
        Path token = token("tok");
        List<PodDeletionCost> inactive = List.of(
                new PodDeletionCost(pod(null, "falab"), token, dir.resolve("ca.crt"), api),
                new PodDeletionCost(pod("trainer-1", null), token, dir.resolve("ca.crt"), api),
                new PodDeletionCost(pod("trainer-1", " "), token, dir.resolve("ca.crt"), api),
                new PodDeletionCost(pod("trainer-1", "falab"), dir.resolve("no-token"), dir.resolve("ca.crt"), api),
                // no KUBERNETES_SERVICE_HOST
                new PodDeletionCost(pod("trainer-1", "falab"), dir));
        for (PodDeletionCost c : inactive) {
            assertThat(c.active()).isFalse();
            assertThatCode(() -> {
                c.busy();
                c.idle();
            }).doesNotThrowAnyException();
            assertThat(c.awaitSent(Duration.ofSeconds(5))).isTrue();
            c.close();
        }
        assertThat(requests.poll(300, TimeUnit.MILLISECONDS)).as("no request off Kubernetes").isNull();
    }

    @Test
    void theDefaultAddressIsTheInClusterApiServer() {
        Map<String, String> env = pod("trainer-1", "falab");
        env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        assertThat(PodDeletionCost.apiServer(env)).isEqualTo("https://10.96.0.1:443");
        env.put("KUBERNETES_SERVICE_HOST", "fd00:10:96::1");
        assertThat(PodDeletionCost.apiServer(env)).isEqualTo("https://[fd00:10:96::1]:443");
    }

    /**
     * The path a pod takes: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, the token and ca.crt of the
     * service-account folder; a server certificate signed by that CA only (keytool of this JDK makes both).
     */
    @Test
    void inClusterOverHttpsTrustingTheServiceAccountsCa() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path keystore = dir.resolve("api-server.p12");
        keytool(keytool, "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=kubernetes", "-ext", "SAN=ip:127.0.0.1,dns:kubernetes.default.svc", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
        keytool(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-file", serviceAccount.resolve("ca.crt").toString());
        Files.writeString(serviceAccount.resolve("token"), "in-cluster-token");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", this::handle);
        https.start();
        server = https;

        Map<String, String> env = pod("trainer-2", "research");
        env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(https.getAddress().getPort()));
        cost = new PodDeletionCost(env, serviceAccount);
        assertThat(cost.pod()).hasToString("https://127.0.0.1:" + https.getAddress().getPort()
                + "/api/v1/namespaces/research/pods/trainer-2");
        cost.busy();
        assertPatch(next(), "/api/v1/namespaces/research/pods/trainer-2", "in-cluster-token", "10000");
        cost.idle();
        assertPatch(next(), "/api/v1/namespaces/research/pods/trainer-2", "in-cluster-token", "0");

        // a CA that did not sign the server's certificate: refused by TLS, a warning, nothing reaches the server
        Path otherCa = Files.createDirectories(dir.resolve("other"));
        Path otherStore = dir.resolve("other.p12");
        keytool(keytool, "-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=other", "-validity", "2", "-keystore", otherStore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool(keytool, "-exportcert", "-rfc", "-alias", "other", "-keystore", otherStore.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-file", otherCa.resolve("ca.crt").toString());
        Files.writeString(otherCa.resolve("token"), "in-cluster-token");
        PodDeletionCost untrusted = new PodDeletionCost(env, otherCa);
        try {
            assertThatCode(untrusted::busy).doesNotThrowAnyException();
            assertThat(untrusted.awaitSent(Duration.ofSeconds(30))).isTrue();
        } finally {
            untrusted.close();
        }
        assertThat(requests).isEmpty();
    }

    private static void keytool(Path keytool, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", String.join(" ", args), out).isZero();
    }
}
