package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * k8s/'s secrets and identities: no Secret ships in the tree, rendering fails (naming the file) until the user has
 * written the secret files (k8s/secrets), and renders them into one Secret per identity once they exist; the services' own
 * object-store identities and the MinIO setup; Kafka on TLS with SCRAM users whose ACLs are the chart's table.
 */
class KustomizeSecurityTest {

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
    void renderingFailsUntilTheSecretFilesAreWritten(String overlay) throws Exception {
        // the chart's rendering holds no Secret: all of them come from the files
        assertThat(Manifests.parse(Files.readString(KustomizeTest.K8S.resolve(overlay).resolve("falab.yaml"))).names("Secret"))
                .isEmpty();
        Path copy = KustomizeTest.copyOfK8s();
        KustomizeTest.Rendering without = KustomizeTest.kustomize(copy, overlay);
        assertThat(without.exitValue()).as("kubectl kustomize %s without the secret files", overlay).isNotZero();
        assertThat(without.err()).containsPattern("(trainer-object-store\\.env|analysis-object-store\\.env|gateway-object-store\\.env|minio-root\\.env|auth-public-key\\.pem)");

        for (Map.Entry<String, String> file : KustomizeTest.SECRET_FILES.entrySet()) {
            Files.writeString(copy.resolve(file.getKey()), file.getValue());
        }
        KustomizeTest.Rendering with = KustomizeTest.kustomize(copy, overlay);
        assertThat(with.exitValue()).as("with them: %s", with.err()).isZero();
        Manifests m = Manifests.parse(with.out());
        assertThat(m.names("Secret")).containsExactlyInAnyOrder("falab-trainer-object-store",
                "falab-analysis-object-store", "falab-gateway-object-store", "falab-minio-root", "falab-auth-public-key");
        Secret trainer = m.one(Secret.class, "falab-trainer-object-store"::equals);
        assertThat(new String(java.util.Base64.getDecoder().decode(trainer.getData().get("secret-key"))))
                .isEqualTo("trainer-secret-for-tests");
    }

    @Test
    void theSecretFilesAreNeverCommitted() throws Exception {
        for (String dir : List.of("secrets")) {
            assertThat(Files.readString(KustomizeTest.K8S.resolve(dir).resolve(".gitignore"))).contains("*.env");
        }
    }

    @Test
    void eachServiceHasItsOwnIdentitiesAndTheSetupJobAppliesThePolicies() throws Exception {
        Manifests m = Manifests.parse(KustomizeTest.kustomize("overlays/dev"));
        assertThat(secretRefs(m.container("trainer-service"))).containsOnly("falab-trainer-object-store", "falab-trainer");
        assertThat(secretRefs(m.container("analysis-service"))).containsOnly("falab-analysis-object-store", "falab-analysis");
        assertThat(secretRefs(m.container("gateway"))).containsOnly("falab-gateway-object-store", "falab-gateway");
        assertThat(secretRefs(m.container("minio"))).containsOnly("falab-minio-root");
        Job setup = m.one(Job.class, n -> n.startsWith("falab-minio-setup"));
        Container mc = setup.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(secretRefs(mc)).containsExactlyInAnyOrder("falab-minio-root", "falab-trainer-object-store",
                "falab-analysis-object-store", "falab-gateway-object-store");
        ConfigMap files = m.one(ConfigMap.class, "falab-minio-setup"::equals);
        Path minio = KustomizeTest.K8S.resolve("infra/minio");
        assertThat(files.getData()).containsOnlyKeys("setup.sh", "trainer.json", "analysis.json", "gateway.json")
                .containsEntry("setup.sh", Files.readString(minio.resolve("setup.sh")))
                .containsEntry("trainer.json", Files.readString(minio.resolve("policies/trainer.json")))
                .containsEntry("gateway.json", Files.readString(minio.resolve("policies/gateway.json")));
        // every service connects over TLS as its own Kafka user, trusting the cluster CA
        ConfigMap config = m.one(ConfigMap.class, "falab-falab-config"::equals);
        assertThat(config.getData()).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "falab-kafka-kafka-bootstrap:9093");
        for (String c : List.of("gateway", "trainer-service", "analysis-service")) {
            assertThat(m.container(c).getVolumeMounts()).anyMatch(v -> v.getMountPath().equals("/etc/falab/kafka-ca"));
        }
    }

    @Test
    void kafkaRunsTlsAndScramWithTheChartsAclTable() throws Exception {
        Manifests m = Manifests.parse(KustomizeTest.kustomize("overlays/gpu"));
        Map<String, Object> kafka = Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka"));
        assertThat(Manifests.list(kafka.get("listeners"))).singleElement().satisfies(l -> {
            assertThat(Manifests.map(l)).containsEntry("tls", true).containsEntry("port", 9093);
            assertThat(Manifests.map(Manifests.map(l).get("authentication"))).containsEntry("type", "scram-sha-512");
        });
        assertThat(Manifests.map(kafka.get("authorization"))).containsEntry("type", "simple");
        assertThat(KafkaAcls.topicAcls(m, "falab")).isEqualTo(KafkaAcls.EXPECTED);
        assertThat(m.all(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class))
                .filteredOn(p -> p.getMetadata().getName().equals("falab-kafka-from-falab")).singleElement()
                .satisfies(p -> assertThat(p.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal())
                        .isEqualTo(9093));
    }

    private static List<String> secretRefs(Container c) {
        return Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of()).stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName()).distinct().toList();
    }
}
