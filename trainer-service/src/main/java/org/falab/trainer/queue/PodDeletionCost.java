package org.falab.trainer.queue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Marks this trainer's own pod with {@code controller.kubernetes.io/pod-deletion-cost}: {@value #BUSY} while it trains
 * a run ({@link #busy()}), {@value #IDLE} when it waits for one ({@link #idle()}). On a ReplicaSet scale-down (KEDA,
 * HPA, by hand) Kubernetes removes the pods with the lowest cost first, so an idle trainer goes before a busy one.
 * <p>
 * A JSON merge patch of the pod through the Kubernetes API
 * ({@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$POD_NAMESPACE/pods/$POD_NAME})
 * with the pod's service-account token and CA (the ServiceAccount's Role allows {@code get} and {@code patch} on pods,
 * {@code POD_NAME}/{@code POD_NAMESPACE} come from the downward API: helm/falab/templates/_helpers.tpl). Without
 * {@code POD_NAME}, {@code POD_NAMESPACE} or the token file (not on Kubernetes: the local stack, the tests) both
 * methods do nothing.
 * <p>
 * Best effort: the calls return at once and the patch goes out on a thread of its own, so the training queue never
 * waits on the API server; a failed patch is a warning, never an exception (SIGTERM checkpointing covers a busy
 * trainer that is removed all the same). Only the latest wish is sent: a {@code busy()} that an {@code idle()}
 * overtook before it went out is not sent, nor a value the pod already has from this trainer.
 */
@ApplicationScoped
public class PodDeletionCost {

    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    static final String BUSY = "10000";
    static final String IDLE = "0";
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(PodDeletionCost.class);

    /** The pod's API address; null when not on Kubernetes (then busy() and idle() do nothing). */
    private final URI pod;
    private final String inactiveReason;
    private final Path tokenFile;
    private final Path caFile;
    private final AtomicBoolean inactiveLogged = new AtomicBoolean();
    private final AtomicReference<String> wanted = new AtomicReference<>();
    /** The value the last successful patch set; only the sender thread touches it. */
    private String applied;
    private ExecutorService sender;
    private HttpClient http;

    /** This pod, from the process environment and the mounted service account. */
    public PodDeletionCost() {
        this(System.getenv(), SERVICE_ACCOUNT);
    }

    /** {@code env} as the process environment, {@code serviceAccount} holding {@code token} and {@code ca.crt}. */
    PodDeletionCost(Map<String, String> env, Path serviceAccount) {
        this(env, serviceAccount.resolve("token"), serviceAccount.resolve("ca.crt"), apiServer(env));
    }

    /**
     * @param apiServer base URL of the API server ({@code https://host:port}; {@code http://} too, for tests), null
     *        when unknown (then inactive)
     */
    PodDeletionCost(Map<String, String> env, Path tokenFile, Path caFile, String apiServer) {
        this.tokenFile = tokenFile;
        this.caFile = caFile;
        String name = env.get("POD_NAME");
        String namespace = env.get("POD_NAMESPACE");
        String reason = null;
        if (name == null || name.isBlank()) {
            reason = "POD_NAME is not set";
        } else if (namespace == null || namespace.isBlank()) {
            reason = "POD_NAMESPACE is not set";
        } else if (!Files.isRegularFile(tokenFile)) {
            reason = "no service-account token at " + tokenFile;
        } else if (apiServer == null) {
            reason = "KUBERNETES_SERVICE_HOST is not set";
        }
        URI uri = null;
        if (reason == null) {
            try {
                uri = URI.create(apiServer.replaceAll("/+$", "") + "/api/v1/namespaces/" + namespace.trim() + "/pods/"
                        + name.trim());
            } catch (IllegalArgumentException e) {
                reason = "no valid pod URL (" + e.getMessage() + ")";
            }
        }
        this.pod = uri;
        this.inactiveReason = reason;
    }

    /** {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT} (port 443 if unset); null without a host. */
    static String apiServer(Map<String, String> env) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (host == null || host.isBlank()) {
            return null;
        }
        host = host.trim();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 service address
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443").trim();
        return "https://" + host + ":" + (port.isEmpty() ? "443" : port);
    }

    /** This trainer took a run: a scale-down should remove another trainer first. Returns at once. */
    public void busy() {
        want(BUSY);
    }

    /** This trainer has no run: it may go first on a scale-down. Returns at once. */
    public void idle() {
        want(IDLE);
    }

    /** Whether busy() and idle() patch the pod (on Kubernetes with a token), for tests and logs. */
    boolean active() {
        return pod != null;
    }

    /** The pod this bean patches; null when inactive. */
    URI pod() {
        return pod;
    }

    private void want(String cost) {
        if (pod == null) {
            if (inactiveLogged.compareAndSet(false, true)) {
                LOG.debugf("pod-deletion-cost: not patching the pod (%s)", inactiveReason);
            }
            return;
        }
        wanted.set(cost);
        try {
            sender().execute(this::send);
        } catch (RuntimeException e) { // rejected after shutdown
            LOG.debugf("pod-deletion-cost %s not sent: %s", cost, e.toString());
        }
    }

    private synchronized ExecutorService sender() {
        if (sender == null) {
            sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "falab-pod-deletion-cost");
                t.setDaemon(true);
                return t;
            });
        }
        return sender;
    }

    /** On the sender thread: patch the latest wanted cost unless the pod has it already. Never throws. */
    private void send() {
        String cost = wanted.get();
        if (cost == null || cost.equals(applied)) {
            return;
        }
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim(); // read each time: it rotates
            String body = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
            HttpRequest request = HttpRequest.newBuilder(pod).timeout(TIMEOUT)
                    .header("Content-Type", "application/merge-patch+json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                applied = cost;
                LOG.debugf("pod-deletion-cost of %s set to %s", pod.getPath(), cost);
            } else {
                LOG.warnf("pod-deletion-cost %s not set on %s: HTTP %d %s (scale-down may pick this trainer when busy)",
                        cost, pod.getPath(), response.statusCode(), abbreviate(response.body()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("pod-deletion-cost %s not set on %s: %s (scale-down may pick this trainer when busy)", cost,
                    pod.getPath(), e.toString());
        }
    }

    private HttpClient client() throws IOException, GeneralSecurityException {
        if (http == null) {
            // one small request per run: HTTP/1.1 (no h2c upgrade attempt on a plain-HTTP test server)
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
            if ("https".equalsIgnoreCase(pod.getScheme()) && Files.isRegularFile(caFile)) {
                builder.sslContext(trusting(caFile));
            }
            http = builder.build();
        }
        return http;
    }

    /** TLS that trusts the certificates of {@code caFile} (PEM, one or more), the cluster's CA. */
    static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls;
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }

    /** Lets a patch under way finish (briefly), then stops the sender thread. */
    @PreDestroy
    void close() {
        ExecutorService s;
        synchronized (this) {
            s = sender;
        }
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For tests: waits until every call made so far has been handled by the sender thread. */
    boolean awaitSent(Duration timeout) throws InterruptedException {
        ExecutorService s;
        synchronized (this) {
            s = sender;
        }
        if (s == null) {
            return true;
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        s.execute(done::countDown);
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
