package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

/** helm lint --strict and helm template (in-process, helm-java) with the defaults and every ci/*.yaml overlay. */
class HelmChartTest {

    static final Path CHART = Manifests.ROOT.resolve("helm/falab");
    private static final Helm helm = new Helm(CHART);

    /**
     * The APIs of the CRDs the chart's objects need (Strimzi, KEDA, Prometheus operator), as a cluster with the
     * prerequisites serves them. helm-java cannot pass --api-versions, so the renderings here give them through the
     * chart's apiVersions value; CapabilitiesTest renders with the real flag and without any.
     */
    static final List<String> CRD_APIS = List.of("kafka.strimzi.io/v1beta2", "keda.sh/v1alpha1", "monitoring.coreos.com/v1");

    /** The chart's appVersion: the tag of every falab image it renders. */
    static String appVersion() throws IOException {
        return (String) new YAMLMapper().readValue(CHART.resolve("Chart.yaml").toFile(), Map.class).get("appVersion");
    }

    /** helm template of the chart as release name in namespace, on a cluster that has the prerequisites. */
    static com.marcnuri.helm.TemplateCommand template(String name, String namespace) {
        var template = helm.template().withName(name).withNamespace(namespace);
        for (int i = 0; i < CRD_APIS.size(); i++) {
            template = template.set("apiVersions[" + i + "]", CRD_APIS.get(i));
        }
        return template;
    }

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            return Stream.concat(Stream.of("(defaults)"),
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream());
        }
    }

    static Manifests render(String overlay) {
        var template = withSecrets(template("falab", "falab"));
        if (!overlay.equals("(defaults)")) {
            template = template.withValuesFile(CHART.resolve("ci").resolve(overlay));
        }
        return Manifests.parse(template.call());
    }

    /** The secrets an install must be given (no default ships with the chart: HelmSecurityTest). */
    static com.marcnuri.helm.TemplateCommand withSecrets(com.marcnuri.helm.TemplateCommand template) {
        return template.set("objectStore.trainer.secretKey", "trainer-secret-for-tests")
                .set("objectStore.analysis.secretKey", "analysis-secret-for-tests")
                .set("objectStore.gateway.secretKey", "gateway-secret-for-tests")
                .set("objectStore.minio.rootPassword", "root-secret-for-tests");
    }

    /**
     * The Secrets Strimzi makes (the KafkaUsers' and the cluster CA's), those an overlay names as existing, and the
     * token issuer's public key the operator creates (docs/auth.md).
     */
    static Set<String> externalSecrets(String overlay) {
        return overlay.equals("values-external.yaml")
                ? Set.of("falab-s3-trainer", "falab-s3-analysis", "falab-s3-gateway", "falab-kafka-ca", "falab-kafka-gateway",
                        "falab-kafka-trainer", "falab-kafka-analysis", "falab-auth-public-key")
                : Set.of("falab-gateway", "falab-trainer", "falab-analysis", "falab-kafka-cluster-ca-cert",
                        "falab-auth-public-key");
    }

    /**
     * helm lint renders the chart with its own values.yaml, which holds no secret (an install without one fails:
     * HelmSecurityTest), so it lints a copy whose values.yaml has the secrets an install is given.
     */
    @Test
    void lintStrict(@org.junit.jupiter.api.io.TempDir Path copy) throws IOException {
        Path chart = copy.resolve("falab");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path f : files.toList()) {
                Path to = chart.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path values = chart.resolve("values.yaml");
        String given = Files.readString(values).replace("secretKey: \"\"", "secretKey: \"lint-secret\"")
                .replace("rootPassword: \"\"", "rootPassword: \"lint-secret\"");
        assertThat(given).as("the secrets were given").doesNotContain("secretKey: \"\"");
        Files.writeString(values, given);
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void overlaysAreDocumented() throws IOException {
        List<String> overlays = overlays().filter(o -> !o.startsWith("(")).toList();
        assertThat(overlays).contains("values-gpu.yaml", "values-external.yaml", "values-monitoring.yaml");
        String readme = Files.readString(Manifests.ROOT.resolve("helm/README.md"));
        assertThat(overlays).allMatch(readme::contains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyRenderingIsHardenedAndConsistent(String overlay) throws IOException {
        Manifests m = render(overlay);
        m.assertWorkloadsHardened();
        m.assertQuarkusProbes("gateway", "trainer-service", "analysis-service");
        m.assertServicesSelectPods();
        m.assertReferencesResolved(externalSecrets(overlay));
        m.assertCustomReferences();
        m.assertOnlyGatewayReachable();
        assertThat(m.names("Deployment")).contains("falab-gateway", "falab-trainer-service", "falab-analysis-service");
        m.assertTrainerLeavesGracefully("trainer-service", 120);
        // DJL writes its cache; the trainer has a writable emptyDir there
        Container trainer = m.container("trainer-service");
        assertThat(trainer.getEnv()).anyMatch(e -> e.getName().equals("DJL_CACHE_DIR") && e.getValue().equals("/var/cache/djl"));
        assertThat(trainer.getVolumeMounts()).anyMatch(v -> v.getMountPath().equals("/var/cache/djl"));
    }

    @Test
    void defaultsRunKafkaMinioAndEveryDocumentedTopicInCluster() throws IOException {
        Manifests m = render("(defaults)");
        assertThat(m.custom("Kafka")).hasSize(1);
        assertThat(m.custom("KafkaNodePool")).singleElement()
                .satisfies(pool -> assertThat(Manifests.list(Manifests.spec(pool).get("roles"))).containsExactly("controller", "broker"));
        // production: three brokers, replication 3, writes acknowledged by 2
        Topics.assertAsDocumented(m.topics(), 3, 2);
        assertThat(Manifests.spec(m.custom("KafkaNodePool").get(0)).get("replicas")).isEqualTo(3);
        assertThat(Manifests.map(Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka")).get("config")))
                .containsEntry("default.replication.factor", 3).containsEntry("min.insync.replicas", 2)
                .containsEntry("offsets.topic.replication.factor", 3).containsEntry("auto.create.topics.enable", false);
        // the dead-letter alert reads topic end offsets from Strimzi's Kafka Exporter
        assertThat(Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafkaExporter")))
                .containsEntry("topicRegex", "falab\\..*");
        assertThat(m.names("Deployment")).contains("falab-minio");
        ConfigMap config = m.one(ConfigMap.class, n -> n.equals("falab-falab-config"));
        assertThat(config.getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "falab-kafka-kafka-bootstrap:9093")
                .containsEntry("FALAB_STORAGE_ENDPOINT", "http://falab-minio:9000");
        // CPU trainer: no GPU, no KEDA, plain Prometheus annotations
        assertThat(m.container("trainer-service").getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(m.custom("ScaledObject")).isEmpty();
        assertThat(m.podTemplates()).filteredOn(t -> t.getMetadata().getLabels().get("app.kubernetes.io/name").endsWith("service")
                || t.getMetadata().getLabels().get("app.kubernetes.io/name").equals("gateway"))
                .hasSize(3).allMatch(t -> "true".equals(t.getMetadata().getAnnotations().get("prometheus.io/scrape")));
    }

    @Test
    void devOverlayRunsOneBrokerWithOneReplicaOfEveryTopic() throws IOException {
        Manifests m = render("values-dev.yaml");
        Topics.assertAsDocumented(m.topics(), 1, 1);
        assertThat(Manifests.spec(m.custom("KafkaNodePool").get(0)).get("replicas")).isEqualTo(1);
        assertThat(Manifests.map(Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka")).get("config")))
                .containsEntry("offsets.topic.replication.factor", 1).containsEntry("min.insync.replicas", 1);
    }

    @Test
    void swaggerUiIsOffUnlessAskedFor() {
        Manifests defaults = Manifests.parse(withSecrets(template("falab", "falab")).call());
        assertThat(defaults.container("gateway").getEnv())
                .anyMatch(e -> e.getName().equals("QUARKUS_SWAGGER_UI_ENABLE") && e.getValue().equals("false"));
        Manifests on = Manifests.parse(withSecrets(template("falab", "falab")).set("gateway.swaggerUi", "true").call());
        assertThat(on.container("gateway").getEnv())
                .anyMatch(e -> e.getName().equals("QUARKUS_SWAGGER_UI_ENABLE") && e.getValue().equals("true"));
    }

    @Test
    void theTrainersGracePeriodIsTheCheckpointTimeValue() {
        Manifests m = Manifests.parse(withSecrets(template("falab", "falab"))
                .set("trainer.checkpointGraceSeconds", "300").call());
        m.assertTrainerLeavesGracefully("trainer-service", 300);
        // the binding names the release's namespace
        assertThat(m.all(io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)).singleElement()
                .satisfies(b -> assertThat(b.getSubjects().get(0).getNamespace()).isEqualTo("falab"));
    }

    @Test
    void aMinInsyncReplicasAboveTheReplicationFactorIsRefused() {
        assertThatThrownBy(() -> withSecrets(template("falab", "falab"))
                .set("kafka.minInsyncReplicas", "4").call())
                .hasMessageContaining("kafka.minInsyncReplicas must not exceed kafka.replicationFactor");
    }

    @Test
    void gpuOverlayPutsOneGpuTrainerPerGpuNodeAndScalesOnQueuedAndTrainingRuns() throws IOException {
        Manifests m = render("values-gpu.yaml");
        Container trainer = m.container("trainer-service");
        assertThat(trainer.getImage()).isEqualTo("falab/trainer-service-gpu:" + appVersion());
        assertThat(trainer.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(trainer.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128", "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", "DJL_OFFLINE=true",
                        "FALAB_TRAINING_DEVICE=gpu");
        PodSpec pod = m.podOf("trainer-service");
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).anyMatch(t -> t.getKey().equals("nvidia.com/gpu") && t.getEffect().equals("NoSchedule"));
        GenericKubernetesResource scaled = m.custom("ScaledObject").get(0);
        assertThat(Manifests.spec(scaled).get("maxReplicaCount")).isEqualTo(4);
        // from zero (no GPU held while idle); the cooldown is then the wait from the last run's end to 0 trainers
        assertThat(Manifests.spec(scaled)).containsEntry("minReplicaCount", 0).containsEntry("cooldownPeriod", 300);
        assertThat(Manifests.map(Manifests.map(Manifests.map(Manifests.map(Manifests.spec(scaled).get("advanced"))
                .get("horizontalPodAutoscalerConfig")).get("behavior")).get("scaleDown")))
                .as("the HPA window between 1 and the maximum").containsEntry("stabilizationWindowSeconds", 300);
        // the share group has no lag: one trainer per run queued or in training, from the gateway's gauge
        Map<String, Object> trigger = Manifests.map(Manifests.list(Manifests.spec(scaled).get("triggers")).get(0));
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        assertThat(Manifests.map(trigger.get("metadata")))
                .containsEntry("serverAddress", "http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090")
                .containsEntry("query",
                        "max(sum by (instance) (falab_runs{namespace=\"falab\", state=~\"QUEUED|RUNNING|CANCELLING|STALLED\"}))")
                .containsEntry("threshold", "1").containsEntry("ignoreNullValues", "false")
                .doesNotContainKeys("consumerGroup", "topic", "bootstrapServers", "lagThreshold");
        // KEDA owns the replica count
        assertThat(m.all(io.fabric8.kubernetes.api.model.apps.Deployment.class))
                .filteredOn(d -> d.getMetadata().getName().equals("falab-trainer-service"))
                .singleElement().satisfies(d -> assertThat(d.getSpec().getReplicas()).isNull());
    }

    @Test
    void theScalersPrometheusAndNamespaceAreTheReleasesAndMoreTrainersThanPartitionsAreAllowed() {
        Manifests m = Manifests.parse(withSecrets(template("lab", "research"))
                .withValuesFile(CHART.resolve("ci/values-gpu.yaml"))
                .set("trainer.autoscaling.serverAddress", "https://prometheus.example.org")
                .set("trainer.autoscaling.maxReplicas", "32").call());
        Map<String, Object> spec = Manifests.spec(m.custom("ScaledObject").get(0));
        // a share group spreads the records of a partition over many members: 32 trainers on 12 partitions is fine
        assertThat(spec.get("maxReplicaCount")).isEqualTo(32);
        Map<String, Object> metadata = Manifests.map(Manifests.map(Manifests.list(spec.get("triggers")).get(0)).get("metadata"));
        assertThat(metadata).containsEntry("serverAddress", "https://prometheus.example.org");
        assertThat((String) metadata.get("query")).contains("namespace=\"research\"");
        assertThatThrownBy(() -> withSecrets(template("falab", "falab"))
                .withValuesFile(CHART.resolve("ci/values-gpu.yaml")).set("trainer.autoscaling.serverAddress", "").call())
                .hasMessageContaining("trainer.autoscaling.serverAddress must be the URL of the Prometheus");
    }

    @Test
    void externalOverlayRendersNoKafkaNoMinioAndUsesTheExistingSecret() {
        Manifests m = render("values-external.yaml");
        assertThat(m.custom("Kafka")).isEmpty();
        assertThat(m.custom("KafkaTopic")).isEmpty();
        assertThat(m.names("Deployment")).doesNotContain("falab-minio");
        assertThat(m.names("Secret")).isEmpty();
        ConfigMap config = m.one(ConfigMap.class, n -> n.equals("falab-falab-config"));
        assertThat(config.getData()).containsEntry("FALAB_STORAGE_ENDPOINT", "https://s3.example.org")
                .containsEntry("FALAB_STORAGE_BUCKET", "falab-prod")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka.example.org:9093,kafka-1.kafka.example.org:9093")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        assertThat(m.container("trainer-service").getEnv()).filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() == null)
                .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
                .containsOnly("falab-s3-trainer", "falab-kafka-trainer");
    }

    @Test
    void monitoringOverlayRendersServiceMonitorsTheRulesFileAndDashboards() throws IOException {
        Manifests m = render("values-monitoring.yaml");
        assertThat(m.custom("ServiceMonitor")).hasSize(3)
                .allMatch(sm -> "kps".equals(sm.getMetadata().getLabels().get("release")));
        GenericKubernetesResource rule = m.custom("PrometheusRule").get(0);
        Object rulesFile = new YAMLMapper().readValue(Manifests.ROOT.resolve("k8s/monitoring/falab-rules.yaml").toFile(), Map.class);
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode rendered = json.valueToTree(Manifests.spec(rule));
        com.fasterxml.jackson.databind.JsonNode file = json.valueToTree(rulesFile);
        assertThat(rendered).as("PrometheusRule spec = k8s/monitoring/falab-rules.yaml").isEqualTo(file);
        ConfigMap dashboards = m.one(ConfigMap.class, n -> n.endsWith("falab-dashboards"));
        assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboards.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboards.getData()).containsOnlyKeys("falab-overview.json", "falab-run-comparison.json");
        for (String board : dashboards.getData().keySet()) {
            assertThat(json.readTree(dashboards.getData().get(board)))
                    .isEqualTo(json.readTree(Manifests.ROOT.resolve("k8s/monitoring/dashboards").resolve(board).toFile()));
        }
        assertThat(m.names("Ingress")).containsExactly("falab-gateway");
        assertThat(m.podTemplates()).allMatch(t -> t.getMetadata().getAnnotations() == null
                || !t.getMetadata().getAnnotations().containsKey("prometheus.io/scrape"));
    }
}
