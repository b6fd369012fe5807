package org.falab.localstack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client side of {@code ./falab demo}: submits one run per method through the gateway's HTTP API, shows
 * progress while they train, and prints a table per run (accuracy, time, effective rank per layer at the last probe).
 * <pre>DemoClient GATEWAY_URL SPEC_JSON METHOD [METHOD...]</pre>
 */
public final class DemoClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(3);
    private static final Duration ANALYSIS_GRACE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;

    DemoClient(String gateway) {
        this.gateway = gateway.replaceAll("/+$", "");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DemoClient GATEWAY_URL SPEC_JSON METHOD [METHOD...]");
            System.exit(2);
        }
        DemoClient client = new DemoClient(args[0]);
        ObjectNode base = (ObjectNode) JSON.readTree(args[1]);
        Map<String, String> runs = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            ObjectNode spec = base.deepCopy().put("method", args[i]);
            runs.put(client.submit(spec), args[i]);
        }
        Map<String, JsonNode> finished = client.awaitAll(runs);
        client.printTables(finished);
        boolean allSucceeded = finished.values().stream().allMatch(r -> "SUCCEEDED".equals(r.path("state").asText()));
        System.exit(allSucceeded ? 0 : 1);
    }

    String submit(JsonNode spec) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(spec))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("gateway refused the run (" + response.statusCode() + "): "
                    + response.body());
        }
        String id = JSON.readTree(response.body()).path("id").asText();
        System.out.printf("submitted %s (%s)%n", id, spec.path("method").asText());
        return id;
    }

    Map<String, JsonNode> awaitAll(Map<String, String> runs) throws IOException, InterruptedException {
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        Map<String, Long> finishedAt = new TreeMap<>();
        Map<String, String> lastLine = new TreeMap<>();
        while (finished.size() < runs.size()) {
            Thread.sleep(POLL.toMillis());
            for (String id : runs.keySet()) {
                if (finished.containsKey(id)) {
                    continue;
                }
                JsonNode run = get("/api/v1/runs/" + id);
                String state = run.path("state").asText();
                String line = progressLine(id, runs.get(id), run);
                if (!line.equals(lastLine.get(id))) {
                    System.out.println(line);
                    lastLine.put(id, line);
                }
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    finishedAt.putIfAbsent(id, System.nanoTime());
                    // analysis results trail the run by a few seconds: wait until the last probe is analysed
                    boolean analysed = lastProbeAnalysed(run);
                    long waited = System.nanoTime() - finishedAt.get(id);
                    if (state.equals("FAILED") || analysed || waited > ANALYSIS_GRACE.toNanos()) {
                        finished.put(id, run);
                    }
                }
            }
        }
        return finished;
    }

    private static String progressLine(String id, String method, JsonNode run) {
        JsonNode progress = run.path("progress");
        JsonNode metrics = run.path("metrics");
        StringBuilder line = new StringBuilder(String.format("%-18s %-4s %-9s", id, method, run.path("state").asText()));
        if (!progress.isMissingNode() && progress.hasNonNull("step")) {
            line.append(String.format(" epoch %d step %d/%d", progress.path("epoch").asInt(),
                    progress.path("step").asLong(), progress.path("totalSteps").asLong()));
        }
        if (metrics.hasNonNull("trainLoss")) {
            line.append(String.format(" loss %.4f", metrics.path("trainLoss").asDouble()));
        }
        if (metrics.hasNonNull("testAccuracy")) {
            line.append(String.format(" test acc %.4f", metrics.path("testAccuracy").asDouble()));
        }
        if (run.hasNonNull("reason")) {
            line.append(" reason: ").append(run.path("reason").asText());
        }
        return line.toString();
    }

    private static boolean lastProbeAnalysed(JsonNode run) {
        long lastSnapshot = -1;
        int layers = 0;
        for (JsonNode snapshot : run.path("snapshots")) {
            if (snapshot.path("step").asLong() >= lastSnapshot) {
                lastSnapshot = snapshot.path("step").asLong();
                layers = snapshot.path("keys").size();
            }
        }
        int analysed = 0;
        for (JsonNode result : run.path("analysis")) {
            if (result.path("step").asLong() == lastSnapshot) {
                analysed++;
            }
        }
        return lastSnapshot >= 0 && analysed >= Math.max(1, layers);
    }

    void printTables(Map<String, JsonNode> runs) {
        System.out.println();
        for (Map.Entry<String, JsonNode> entry : runs.entrySet()) {
            JsonNode run = entry.getValue();
            JsonNode metrics = run.path("metrics");
            System.out.printf("== %s  method=%s  state=%s%n", entry.getKey(), run.path("spec").path("method").asText(),
                    run.path("state").asText());
            System.out.printf("   test accuracy   %s%n", fixed(metrics.path("testAccuracy"), "%.4f"));
            System.out.printf("   training time   %s%n", fixed(metrics.path("trainingSeconds"), "%.1f s"));
            long lastStep = -1;
            for (JsonNode result : run.path("analysis")) {
                lastStep = Math.max(lastStep, result.path("step").asLong());
            }
            List<JsonNode> last = new ArrayList<>();
            for (JsonNode result : run.path("analysis")) {
                if (result.path("step").asLong() == lastStep) {
                    last.add(result);
                }
            }
            last.sort((a, b) -> Integer.compare(a.path("layerIndex").asInt(), b.path("layerIndex").asInt()));
            System.out.printf("   effective rank of the error signal at step %d:%n", lastStep);
            System.out.printf("     %-8s %10s %8s %10s%n", "layer", "erank", "of", "zero rows");
            for (JsonNode result : last) {
                System.out.printf("     %-8s %10.2f %8d %10d%n", result.path("layer").asText(),
                        result.path("effectiveRank").asDouble(), result.path("singularValueCount").asInt(),
                        result.path("nearZeroRows").asInt());
            }
            System.out.println();
        }
    }

    private static String fixed(JsonNode value, String format) {
        return value.isNumber() ? String.format(format, value.asDouble()) : "-";
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
