package org.falab.localstack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The client side of {@code ./falab reproduce}: submits one sweep through the gateway, follows it, and prints
 * (and optionally writes) a Markdown table of mean and spread over seeds of test accuracy and of each layer's
 * error-signal effective rank.
 * <pre>SweepClient GATEWAY_URL SWEEP_JSON [MARKDOWN_OUT]
 * SweepClient GATEWAY_URL SWEEP_ID [MARKDOWN_OUT]    (the table of a sweep submitted before)</pre>
 */
public final class SweepClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final Duration ANALYSIS_GRACE = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;

    SweepClient(String gateway) {
        this.gateway = gateway.replaceAll("/+$", "");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SweepClient GATEWAY_URL SWEEP_JSON [MARKDOWN_OUT]");
            System.exit(2);
        }
        SweepClient client = new SweepClient(args[0]);
        long start = System.nanoTime();
        boolean existing = args[1].startsWith("sweep-");
        String id = existing ? args[1] : client.submit(JSON.readTree(args[1]));
        JsonNode sweep = client.await(id);
        String table = table(sweep, existing ? null : args[1], existing ? null : (System.nanoTime() - start) / 1e9)
                + "\n" + client.detailTable(sweep);
        System.out.println();
        System.out.println(table);
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), table);
            System.out.println("written to " + args[2]);
        }
    }

    String submit(JsonNode sweep) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/sweeps"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(sweep))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("gateway refused the sweep (" + response.statusCode() + "): "
                    + response.body());
        }
        JsonNode accepted = JSON.readTree(response.body());
        System.out.printf("submitted %s: %d runs%n", accepted.path("id").asText(), accepted.path("runs").size());
        return accepted.path("id").asText();
    }

    JsonNode await(String id) throws IOException, InterruptedException {
        String last = "";
        Long doneAt = null;
        while (true) {
            Thread.sleep(POLL.toMillis());
            JsonNode sweep = get("/api/v1/sweeps/" + id);
            int finished = 0;
            int failed = 0;
            String running = "";
            for (JsonNode run : sweep.path("runs")) {
                String state = run.path("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    finished++;
                }
                if (state.equals("FAILED")) {
                    failed++;
                }
                if (state.equals("RUNNING")) {
                    running = run.path("id").asText() + " " + run.path("cell");
                }
            }
            String line = String.format("%d/%d runs finished (%d failed)%s", finished, sweep.path("runs").size(),
                    failed, running.isEmpty() ? "" : "; training " + running);
            if (!line.equals(last)) {
                System.out.println(line);
                last = line;
            }
            if (finished == sweep.path("runs").size()) {
                doneAt = doneAt == null ? System.nanoTime() : doneAt;
                // the last probes' effective ranks trail the runs by a few seconds
                if (ranksComplete(sweep) || System.nanoTime() - doneAt > ANALYSIS_GRACE.toNanos()) {
                    return sweep;
                }
            }
        }
    }

    private static boolean ranksComplete(JsonNode sweep) {
        for (JsonNode group : sweep.path("groups")) {
            int succeeded = (int) Math.round(group.path("testAccuracy").path("n").asDouble());
            Iterator<JsonNode> layers = group.path("effectiveRank").elements();
            if (!layers.hasNext()) {
                return false;
            }
            while (layers.hasNext()) {
                if (layers.next().path("n").asInt() < succeeded) {
                    return false;
                }
            }
        }
        return true;
    }

    static String table(JsonNode sweep, String request, Double seconds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Sweep `%s`: %d runs%s.%n%n", sweep.path("id").asText(),
                sweep.path("runs").size(), seconds == null ? "" : String.format(Locale.ROOT, ", %.0f s wall time",
                        seconds)));
        md.append("| cell | runs ok | test accuracy mean ± std (min–max) | error-signal effective rank per layer, mean ± std |\n");
        md.append("|---|---|---|---|\n");
        for (JsonNode group : inCellOrder(sweep)) {
            JsonNode acc = group.path("testAccuracy");
            List<String> ranks = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = group.path("effectiveRank").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> layer = it.next();
                ranks.add(String.format(Locale.ROOT, "%s %.1f ± %.1f", layer.getKey(),
                        layer.getValue().path("mean").asDouble(), layer.getValue().path("std").asDouble()));
            }
            md.append(String.format(Locale.ROOT, "| %s | %d/%d | %s | %s |%n", cell(group.path("cell")),
                    acc.path("n").asInt(), group.path("runs").asInt(),
                    acc.path("n").asInt() == 0 ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f (%.4f–%.4f)",
                            acc.path("mean").asDouble(), acc.path("std").asDouble(), acc.path("min").asDouble(),
                            acc.path("max").asDouble()),
                    String.join("; ", ranks)));
        }
        if (request != null) {
            md.append("\nRequest:\n\n```json\n").append(request.strip()).append("\n```\n");
        }
        return md.toString();
    }

    /**
     * Per group and layer, means over the group's succeeded runs at each run's last analysed probe step: effective
     * rank of the BP error signal, the activity and the update, and the angle between the rule's and BP's error signal.
     */
    String detailTable(JsonNode sweep) throws IOException, InterruptedException {
        Map<String, JsonNode> runs = new java.util.HashMap<>();
        for (JsonNode run : sweep.path("runs")) {
            if ("SUCCEEDED".equals(run.path("state").asText())) {
                runs.put(run.path("id").asText(), get("/api/v1/runs/" + run.path("id").asText()));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| cell | layer | erank BP error signal | erank activity | erank update | angle to BP error signal (deg) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (JsonNode group : inCellOrder(sweep)) {
            Map<String, double[]> sums = new java.util.LinkedHashMap<>(); // layer -> 4 sums and 4 counts
            for (JsonNode summary : sweep.path("runs")) {
                JsonNode run = runs.get(summary.path("id").asText());
                if (run == null || !sameCellBesidesSeed(summary.path("cell"), group.path("cell"))) {
                    continue;
                }
                long last = -1;
                for (JsonNode result : run.path("analysis")) {
                    last = Math.max(last, result.path("step").asLong());
                }
                for (JsonNode result : run.path("analysis")) {
                    int column = switch (result.path("quantity").asText()) {
                        case "bp-error-signal" -> 0;
                        case "activity" -> 1;
                        case "update" -> 2;
                        default -> -1;
                    };
                    if (column >= 0 && result.path("step").asLong() == last) {
                        add(sums, result.path("layer").asText(), column, result.path("effectiveRank").asDouble());
                    }
                }
                for (JsonNode alignment : run.path("alignment")) {
                    if (alignment.path("step").asLong() == last && alignment.path("errorSignalAngleToBp").isNumber()) {
                        add(sums, alignment.path("layer").asText(), 3,
                                alignment.path("errorSignalAngleToBp").asDouble());
                    }
                }
            }
            for (Map.Entry<String, double[]> layer : sums.entrySet()) {
                double[] v = layer.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", cell(group.path("cell")),
                        layer.getKey(), mean(v, 0), mean(v, 1), mean(v, 2), mean(v, 3)));
            }
        }
        return md.toString();
    }

    private static void add(Map<String, double[]> sums, String layer, int column, double value) {
        double[] v = sums.computeIfAbsent(layer, l -> new double[8]);
        v[column] += value;
        v[column + 4]++;
    }

    private static String mean(double[] v, int column) {
        return v[column + 4] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", v[column] / v[column + 4]);
    }

    private static boolean sameCellBesidesSeed(JsonNode runCell, JsonNode groupCell) {
        com.fasterxml.jackson.databind.node.ObjectNode cell = runCell.deepCopy();
        cell.remove("seed");
        return cell.equals(groupCell);
    }

    /** Groups sorted by model, then by their cell's text (bp before fa, plain fa before its variants). */
    private static List<JsonNode> inCellOrder(JsonNode sweep) {
        List<JsonNode> groups = new ArrayList<>();
        sweep.path("groups").forEach(groups::add);
        groups.sort(java.util.Comparator.comparing((JsonNode g) -> g.path("cell").path("model").asText())
                .thenComparing(g -> cell(g.path("cell"))));
        return groups;
    }

    private static String cell(JsonNode cell) {
        List<String> parts = new ArrayList<>();
        cell.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        return parts.isEmpty() ? "(base)" : String.join(", ", parts);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
