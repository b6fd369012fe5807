package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Grafana dashboards are valid JSON with Prometheus queries, and every metric a dashboard or an alert rule
 * queries is one the services export: k8s/monitoring/metrics.txt, written from a real scrape
 * (k8s/monitoring/check-local.sh) and held against the live services by gateway's MetricsIT.
 */
class DashboardsAndMetricsTest {

    static final Path MONITORING = Manifests.ROOT.resolve("k8s/monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b((?:falab|kafka)_[a-zA-Z0-9_]+)\\b");
    private final ObjectMapper json = new ObjectMapper();

    /** Exported names: the lines of metrics.txt before the "# declared" section, and those after it. */
    static Set<String> metricsFile(boolean includeDeclared) throws IOException {
        Set<String> names = new TreeSet<>();
        boolean declared = false;
        for (String line : Files.readAllLines(MONITORING.resolve("metrics.txt"))) {
            if (line.startsWith("# declared")) {
                declared = true;
            }
            if (!line.isBlank() && !line.startsWith("#") && (includeDeclared || !declared)) {
                names.add(line.trim());
            }
        }
        return names;
    }

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(MONITORING.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    List<String> dashboardQueries(Path dashboard) throws IOException {
        JsonNode root = json.readTree(dashboard.toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : root.get("panels")) {
            assertThat(panel.get("targets")).as("%s: panel %s has queries", dashboard, panel.get("title")).isNotEmpty();
            panel.get("targets").forEach(t -> queries.add(t.get("expr").asText()));
        }
        root.path("templating").path("list").forEach(v -> {
            if (v.get("type").asText().equals("query")) {
                queries.add(v.get("query").asText());
            }
        });
        return queries;
    }

    static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void dashboardsAreGrafanaJsonWithPrometheusQueries() throws IOException {
        assertThat(dashboards()).extracting(p -> p.getFileName().toString())
                .containsExactly("falab-overview.json", "falab-run-comparison.json");
        Set<String> uids = new TreeSet<>();
        for (Path d : dashboards()) {
            JsonNode root = json.readTree(d.toFile());
            assertThat(uids.add(root.get("uid").asText())).as("unique uid").isTrue();
            assertThat(root.get("title").asText()).isNotBlank();
            assertThat(root.get("panels")).isNotEmpty();
            assertThat(dashboardQueries(d)).allMatch(q -> !q.isBlank());
        }
        JsonNode comparison = json.readTree(MONITORING.resolve("dashboards/falab-run-comparison.json").toFile());
        List<String> variables = new ArrayList<>();
        comparison.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertThat(variables).contains("run_id", "method", "layer");
        assertThat(dashboardQueries(MONITORING.resolve("dashboards/falab-run-comparison.json")))
                .anyMatch(q -> q.startsWith("falab_training_loss")).anyMatch(q -> q.startsWith("falab_training_test_accuracy"))
                .anyMatch(q -> q.contains("falab_error_signal_effective_rank"));
    }

    @Test
    void everyQueriedMetricIsExported() throws IOException {
        Set<String> exported = metricsFile(true);
        assertThat(metricsFile(false)).as("scraped names").contains("falab_runs", "falab_training_loss",
                "falab_trainer_engine_info", "falab_analysis_latency_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max");
        List<String> queries = new ArrayList<>();
        for (Path d : dashboards()) {
            queries.addAll(dashboardQueries(d));
        }
        Map<?, ?> rules = new YAMLMapper().readValue(MONITORING.resolve("falab-rules.yaml").toFile(), Map.class);
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                queries.add((String) ((Map<?, ?>) rule).get("expr"));
            }
        }
        Set<String> queried = metricNames(queries);
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(exported).as("metrics.txt").containsAll(queried);
    }
}
