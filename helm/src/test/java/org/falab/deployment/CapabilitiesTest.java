package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Strimzi objects render only where the cluster serves their API: `helm template` (the CLI, which can pass
 * --api-versions as `helm install` learns them from the cluster) with and without kafka.strimzi.io/v1beta2.
 */
class CapabilitiesTest {

    private static final String[] STRIMZI = {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"};

    @Test
    void withStrimziServedTheKafkaClusterTopicsAndUsersRender() throws Exception {
        HelmCli.Result r = HelmCli.template("--api-versions", "kafka.strimzi.io/v1beta2");
        assertThat(r.exitValue()).as(r.err()).isZero();
        Manifests m = Manifests.parse(r.out());
        for (String kind : STRIMZI) {
            assertThat(m.custom(kind)).as(kind).isNotEmpty();
        }
        assertThat(m.custom("KafkaTopic")).hasSize(8);
    }

    @Test
    void withoutStrimziTheyAreLeftOutAndTheNotesSaySo() throws Exception {
        HelmCli.Result r = HelmCli.template();
        assertThat(r.exitValue()).as(r.err()).isZero();
        Manifests m = Manifests.parse(r.out());
        for (String kind : STRIMZI) {
            assertThat(m.custom(kind)).as(kind).isEmpty();
        }
        // the rest of the release still renders
        assertThat(m.names("Deployment")).contains("falab-gateway", "falab-trainer-service", "falab-analysis-service");
        // what `helm install` prints: NOTES.txt names the missing API and the way out
        HelmCli.Result notes = HelmCli.run(java.util.List.of("helm", "install", "falab", "helm/falab", "--namespace",
                "falab", "--dry-run=client", "--set",
                "objectStore.trainer.secretKey=t,objectStore.analysis.secretKey=a,objectStore.gateway.secretKey=g,objectStore.minio.rootPassword=r"));
        assertThat(notes.exitValue()).as(notes.err()).isZero();
        assertThat(notes.out()).contains("does not serve kafka.strimzi.io/v1beta2", "NOT rendered",
                "--api-versions kafka.strimzi.io/v1beta2");
        HelmCli.Result served = HelmCli.run(java.util.List.of("helm", "install", "falab", "helm/falab", "--namespace",
                "falab", "--dry-run=client", "--set", "apiVersions={kafka.strimzi.io/v1beta2}", "--set",
                "objectStore.trainer.secretKey=t,objectStore.analysis.secretKey=a,objectStore.gateway.secretKey=g,objectStore.minio.rootPassword=r"));
        assertThat(served.exitValue()).as(served.err()).isZero();
        assertThat(served.out()).contains("NOTES:").doesNotContain("NOT rendered");
    }

    @Test
    void theApiVersionsValueStandsInForTheFlag() throws Exception {
        HelmCli.Result r = HelmCli.template("--set", "apiVersions={kafka.strimzi.io/v1beta2}");
        assertThat(r.exitValue()).as(r.err()).isZero();
        assertThat(Manifests.parse(r.out()).custom("Kafka")).hasSize(1);
    }

    @Test
    void theKedaAndPrometheusOperatorObjectsRenderOnlyWhereTheirApisAreServed() throws Exception {
        String[] enabled = {"-f", "helm/falab/ci/values-gpu.yaml", "-f", "helm/falab/ci/values-monitoring.yaml"};
        HelmCli.Result without = HelmCli.template(enabled);
        assertThat(without.exitValue()).as(without.err()).isZero();
        Manifests bare = Manifests.parse(without.out());
        assertThat(bare.custom("ScaledObject")).isEmpty();
        assertThat(bare.custom("ServiceMonitor")).isEmpty();
        assertThat(bare.custom("PrometheusRule")).isEmpty();
        assertThat(bare.names("Deployment")).contains("falab-trainer-service");

        java.util.List<String> served = new java.util.ArrayList<>(java.util.List.of(enabled));
        served.addAll(java.util.List.of("--api-versions", "keda.sh/v1alpha1", "--api-versions", "monitoring.coreos.com/v1"));
        HelmCli.Result with = HelmCli.template(served.toArray(String[]::new));
        assertThat(with.exitValue()).as(with.err()).isZero();
        Manifests m = Manifests.parse(with.out());
        assertThat(m.custom("ScaledObject")).hasSize(1);
        assertThat(m.custom("ServiceMonitor")).hasSize(3);
        assertThat(m.custom("PrometheusRule")).hasSize(1);

        // what `helm install` prints where KEDA and the Prometheus operator are missing
        java.util.List<String> install = new java.util.ArrayList<>(java.util.List.of("helm", "install", "falab",
                "helm/falab", "--namespace", "falab", "--dry-run=client", "--set",
                "objectStore.trainer.secretKey=t,objectStore.analysis.secretKey=a,objectStore.gateway.secretKey=g,objectStore.minio.rootPassword=r"));
        install.addAll(java.util.List.of(enabled));
        HelmCli.Result notes = HelmCli.run(install);
        assertThat(notes.exitValue()).as(notes.err()).isZero();
        assertThat(notes.out()).contains("does not serve keda.sh/v1alpha1", "does not serve monitoring.coreos.com/v1");
    }
}
