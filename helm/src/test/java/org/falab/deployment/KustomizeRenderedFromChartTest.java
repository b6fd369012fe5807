package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One source: k8s/overlays/<name>/falab.yaml is the chart rendered by k8s/render.sh, and what Kustomize makes of an
 * overlay is, object for object, what helm template makes of the chart with that overlay's values (plus the Secrets
 * of k8s/secrets and the namespace). Resource names, probes, network policies, the ScaledObject: all one source.
 */
class KustomizeRenderedFromChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Secrets the k8s/secrets component generates from the user's files: the chart names them as existing. */
    private static final Set<String> KUSTOMIZE_SECRETS = Set.of("falab-trainer-object-store",
            "falab-analysis-object-store", "falab-gateway-object-store", "falab-minio-root", "falab-auth-public-key");

    @Test
    void theCheckedInRenderingsAreFresh(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        HelmCli.Result r = HelmCli.run(List.of("k8s/render.sh", out.toString()));
        assertThat(r.exitValue()).as("k8s/render.sh: %s", r.err()).isZero();
        for (String overlay : List.of("dev", "gpu", "monitoring")) {
            assertThat(Files.readString(KustomizeTest.K8S.resolve("overlays").resolve(overlay).resolve("falab.yaml")))
                    .as("k8s/overlays/%s/falab.yaml is stale: run k8s/render.sh", overlay)
                    .isEqualTo(Files.readString(out.resolve(overlay).resolve("falab.yaml")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void kustomizeMakesOfTheOverlayWhatHelmMakesOfTheChart(String overlay) throws Exception {
        Manifests kustomize = Manifests.parse(KustomizeTest.kustomize("overlays/" + overlay));
        assertThat(differences(kustomize, chart(overlay))).as("k8s/overlays/%s vs helm template", overlay).isEmpty();
    }

    /** The monitoring overlay: the chart's ServiceMonitors, PrometheusRule and dashboards with the operator's values. */
    @Test
    void theMonitoringOverlayIsTheChartsMonitoring() throws Exception {
        Manifests kustomize = Manifests.parse(KustomizeTest.kustomize("overlays/monitoring"));
        Manifests chart = chart("monitoring", "--set", "monitoring.dashboards.enabled=true");
        Manifests monitoring = Manifests.of(chart.objects.stream().filter(o -> Set.of("ServiceMonitor", "PrometheusRule")
                .contains(o.getKind()) || o.getMetadata().getName().endsWith("-dashboards")).toList());
        assertThat(monitoring.custom("PrometheusRule")).hasSize(1);
        assertThat(kustomize.custom("ServiceMonitor")).hasSize(3);
        assertThat(differences(kustomize, monitoring)).isEmpty();
    }

    /** The comparison sees a drift: a probe period changed in the Kustomize tree only. */
    @Test
    void aDriftInTheKustomizeTreeIsFound() throws Exception {
        Path copy = KustomizeTest.copyOfK8s();
        for (Map.Entry<String, String> file : KustomizeTest.SECRET_FILES.entrySet()) {
            Files.writeString(copy.resolve(file.getKey()), file.getValue());
        }
        Path rendering = copy.resolve("overlays/dev/falab.yaml");
        String original = Files.readString(rendering);
        String drifted = original.replaceFirst("periodSeconds: 10", "periodSeconds: 30");
        assertThat(drifted).isNotEqualTo(original);
        Files.writeString(rendering, drifted);
        KustomizeTest.Rendering r = KustomizeTest.kustomize(copy, "overlays/dev");
        assertThat(r.exitValue()).as(r.err()).isZero();
        assertThat(differences(Manifests.parse(r.out()), chart("dev"))).singleElement().asString()
                .startsWith("Deployment/").contains("livenessProbe");
    }

    /** helm template (the CLI, as k8s/render.sh runs it) of the chart with the overlay's values. */
    static Manifests chart(String overlay, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("helm", "template", "falab", "helm/falab", "--namespace", "falab",
                "--api-versions", "kafka.strimzi.io/v1beta2", "--api-versions", "keda.sh/v1alpha1",
                "--api-versions", "monitoring.coreos.com/v1", "-f", "helm/falab/ci/values-" + overlay + ".yaml",
                "-f", "k8s/overlays/chart-values.yaml"));
        command.addAll(List.of(more));
        HelmCli.Result r = HelmCli.run(command);
        assertThat(r.exitValue()).as("helm template: %s", r.err()).isZero();
        return Manifests.parse(r.out());
    }

    /** kind/name of every object that differs, is missing or is extra, with the first differing path. */
    static List<String> differences(Manifests kustomize, Manifests chart) {
        Map<String, JsonNode> fromKustomize = byName(kustomize, true);
        Map<String, JsonNode> fromChart = byName(chart, false);
        List<String> differences = new ArrayList<>();
        Set<String> names = new TreeSet<>(fromKustomize.keySet());
        names.addAll(fromChart.keySet());
        for (String name : names) {
            JsonNode k = fromKustomize.get(name);
            JsonNode c = fromChart.get(name);
            if (k == null || c == null) {
                differences.add(name + (k == null ? " only in the chart" : " only in Kustomize"));
            } else if (!k.equals(c)) {
                differences.add(name + " differs at " + firstDifference(k, c, ""));
            }
        }
        return differences;
    }

    private static Map<String, JsonNode> byName(Manifests m, boolean fromKustomize) {
        Map<String, JsonNode> objects = new TreeMap<>();
        for (HasMetadata o : m.objects) {
            if (fromKustomize && "Secret".equals(o.getKind()) && KUSTOMIZE_SECRETS.contains(o.getMetadata().getName())) {
                continue;
            }
            ObjectNode json = JSON.valueToTree(o);
            // Kustomize sets the namespace that helm template leaves to the install
            ((ObjectNode) json.get("metadata")).remove("namespace");
            objects.put(o.getKind() + "/" + o.getMetadata().getName(), json);
        }
        return objects;
    }

    private static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (a.isObject() && b.isObject()) {
            Set<String> fields = new TreeSet<>();
            a.fieldNames().forEachRemaining(fields::add);
            b.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                JsonNode x = a.get(f);
                JsonNode y = b.get(f);
                if (x == null || y == null || !x.equals(y)) {
                    return x == null || y == null ? path + "/" + f : firstDifference(x, y, path + "/" + f);
                }
            }
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    return firstDifference(a.get(i), b.get(i), path + "/" + i);
                }
            }
        }
        return path;
    }
}
