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
    /** Names the services export (falab_, jvm_, kafka_ client) and the cluster exporters' (kube_, DCGM_, kafka_topic_). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:falab|kafka|jvm|kube|DCGM)_[a-zA-Z0-9_]+)\\b");
    /** The exporters an external name of metrics.txt may come from (docs/runbook.md, "Prerequisites"). */
    private static final Set<String> EXPORTERS = Set.of("kube-state-metrics", "dcgm-exporter", "strimzi-kafka-exporter");
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Exported names: the lines of metrics.txt before the "# declared" line (the services' own, held against their
     * live scrape by e2e's MetricsIT), and with includeDeclared those after it (NAME EXPORTER: the cluster's).
     */
    static Set<String> metricsFile(boolean includeDeclared) throws IOException {
        Set<String> names = new TreeSet<>();
        boolean declared = false;
        for (String line : Files.readAllLines(MONITORING.resolve("metrics.txt"))) {
            if (line.startsWith("# declared")) {
                declared = true;
            }
            if (!line.isBlank() && !line.startsWith("#") && (includeDeclared || !declared)) {
                String[] fields = line.trim().split("\\s+");
                if (declared) {
                    assertThat(fields).as("external metric %s names its exporter", fields[0]).hasSize(2);
                    assertThat(EXPORTERS).as("exporter of " + fields[0]).contains(fields[1]);
                } else {
                    assertThat(fields).as("scraped name").hasSize(1);
                }
                names.add(fields[0]);
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
        for (Path d : dashboards()) {
            List<String> variables = new ArrayList<>();
            json.readTree(d.toFile()).get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
            assertThat(variables).as(d + " variables").contains("datasource", "namespace");
            assertThat(dashboardQueries(d)).as(d + ": every falab query is of the chosen namespace")
                    .filteredOn(q -> q.contains("falab_") && !q.startsWith("label_values(falab_"))
                    .allMatch(q -> q.contains("namespace=~\"$namespace\""));
        }
        JsonNode comparison = json.readTree(MONITORING.resolve("dashboards/falab-run-comparison.json").toFile());
        List<String> variables = new ArrayList<>();
        comparison.get("templating").get("list").forEach(v -> {
            variables.add(v.get("name").asText());
            if (v.get("name").asText().equals("run_id")) {
                assertThat(v.get("multi").asBoolean()).as("one run: the XY charts pair values with its step").isFalse();
            }
        });
        assertThat(variables).contains("run_id", "method", "layer", "quantity");
        assertThat(dashboardQueries(MONITORING.resolve("dashboards/falab-run-comparison.json")))
                .noneMatch(q -> q.contains("falab_error_signal_effective_rank"));
    }

    /**
     * The run's curves are against the step, not wall-clock time: XY charts whose first query is the run's step
     * gauge (legend "step", the x field), joined by time with the curve's query (loss, accuracy, effective rank).
     */
    @Test
    void runCurvesAreDrawnAgainstTheStep() throws IOException {
        JsonNode comparison = json.readTree(MONITORING.resolve("dashboards/falab-run-comparison.json").toFile());
        List<String> curves = new ArrayList<>();
        for (JsonNode panel : comparison.get("panels")) {
            if (!panel.get("type").asText().equals("xychart")) {
                continue;
            }
            JsonNode step = panel.get("targets").get(0);
            assertThat(step.get("legendFormat").asText()).as(panel.get("title").asText()).isEqualTo("step");
            assertThat(step.get("expr").asText()).matches(".*falab_(training|effective_rank)_step\\{.*run_id=\"\\$run_id\".*");
            assertThat(panel.at("/options/dims/x").asText()).isEqualTo("step");
            assertThat(panel.at("/transformations/0/id").asText()).isEqualTo("joinByField");
            assertThat(panel.at("/transformations/0/options/byField").asText()).isEqualTo("Time");
            curves.add(panel.get("targets").get(1).get("expr").asText());
        }
        assertThat(curves).hasSize(3).anyMatch(q -> q.contains("falab_training_loss{"))
                .anyMatch(q -> q.contains("falab_training_test_accuracy{"))
                .anyMatch(q -> q.contains("falab_effective_rank{") && q.contains("quantity"));
    }

    /** The operator's view: queue, trainers busy/idle/Pending, GPUs, restarts, OOM kills and the JVM. */
    @Test
    void theOverviewShowsTheQueueTrainersGpusRestartsAndTheJvm() throws IOException {
        Set<String> names = metricNames(dashboardQueries(MONITORING.resolve("dashboards/falab-overview.json")));
        assertThat(names).contains("falab_oldest_queued_run_age_seconds", "falab_runs", "falab_training_active",
                "kube_pod_status_phase", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED",
                "kube_pod_container_status_restarts_total", "kube_pod_container_status_last_terminated_reason",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum");
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
