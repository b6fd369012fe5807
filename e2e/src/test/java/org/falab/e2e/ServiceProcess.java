package org.falab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged falab service ({@code target/quarkus-app/quarkus-run.jar}) started as its own process on a free
 * port, as a user or a pod would run it; ready once {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code module}'s packaged app with the given system properties and waits until it is ready. */
    public static ServiceProcess start(String name, String module, Map<String, String> properties) {
        return start(name, module, properties, List.of());
    }

    /** As {@link #start(String, String, Map)}, with more JVM options (e.g. a benchmark's diagnostics). */
    public static ServiceProcess start(String name, String module, Map<String, String> properties,
            List<String> jvmOptions) {
        return start(name, module, properties, jvmOptions, 0);
    }

    /**
     * As {@link #start(String, String, Map, List)}, at the given niceness (0: as this JVM), as {@code ./falab up}
     * starts the analysis so that on shared cores it yields to training.
     */
    public static ServiceProcess start(String name, String module, Map<String, String> properties,
            List<String> jvmOptions, int niceness) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (mvn verify at the root)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        if (niceness != 0) {
            // nice execs the JVM, so the process keeps its pid
            command.addAll(List.of("nice", "-n", String.valueOf(niceness)));
        }
        command.addAll(List.of(javaBinary(), "-Xmx512m"));
        command.addAll(jvmOptions);
        Map<String, String> environment = new java.util.HashMap<>();
        properties.forEach((key, value) -> {
            if (isSecret(key)) {
                environment.put(environmentName(key), value);
            } else {
                command.add("-D" + key + "=" + value);
            }
        });
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar.toString()));
        try {
            Path log = Files.createDirectories(Path.of("target", "pipeline-it")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(name, process, port, log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Credentials never go on the command line (anyone on the machine reads it in {@code ps} and
     * {@code /proc/PID/cmdline}): they reach the process through its environment, as {@code ./falab up} and the
     * pods' Secrets hand them over (SecretsIT checks it).
     */
    static boolean isSecret(String property) {
        return property.endsWith("secret-key") || property.endsWith("access-key") || property.contains("password")
                || property.contains("jaas");
    }

    /** Quarkus's environment name of a property: upper case, every other character an underscore. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The service's JVM (started directly, no shell in between), e.g. for its /proc entries. */
    public long pid() {
        return process.pid();
    }

    /** Where its stdout and stderr go. */
    public Path log() {
        return log;
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL (as a crashed node or an OOM-killed pod): the JVM dies at once, no shutdown hook runs, nothing is
     * flushed or given back. Returns once the process is gone.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM (as a pod being deleted), then waits up to {@code timeout} for the JVM to end its shutdown hooks and
     * exit; true if it exited in time (it is left running otherwise: {@link #close()} ends it).
     */
    public boolean terminate(Duration timeout) {
        process.destroy();
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The service's name as given at start (its log is {@code target/pipeline-it/<name>.log}). */
    public String name() {
        return name;
    }

    /** What it has logged so far (empty if the log cannot be read). */
    public String logText() {
        try {
            return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + "; log: " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
