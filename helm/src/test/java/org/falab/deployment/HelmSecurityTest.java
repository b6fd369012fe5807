package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.falab.contracts.events.Topics;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The chart's secrets and identities: no default secret (an install without one fails and says what to give), one
 * object-store identity per service with its MinIO policy, Kafka on TLS with SCRAM users and an ACL table that is
 * the data flow of contracts' Topics.
 */
class HelmSecurityTest {

    private static final Helm HELM = new Helm(HelmChartTest.CHART);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static com.marcnuri.helm.TemplateCommand template() {
        return HelmChartTest.template("falab", "falab");
    }

    @Test
    void anInstallWithoutSecretsFailsAndSaysWhatToGive() {
        assertThatThrownBy(() -> template().call())
                .hasMessageContaining("objectStore.trainer.secretKey is required: no default secret ships with the chart")
                .hasMessageContaining("--set objectStore.trainer.existingSecret=NAME");
        assertThatThrownBy(() -> template().set("objectStore.trainer.secretKey", "t").call())
                .hasMessageContaining("objectStore.analysis.secretKey is required");
        assertThatThrownBy(() -> template().set("objectStore.trainer.secretKey", "t")
                .set("objectStore.analysis.secretKey", "a").call())
                .hasMessageContaining("objectStore.gateway.secretKey is required");
        assertThatThrownBy(() -> template().set("objectStore.trainer.secretKey", "t")
                .set("objectStore.analysis.secretKey", "a").set("objectStore.gateway.secretKey", "g").call())
                .hasMessageContaining("objectStore.minio.rootPassword is required");
        // every overlay but the external one needs them too
        assertThatThrownBy(() -> template().withValuesFile(HelmChartTest.CHART.resolve("ci/values-dev.yaml")).call())
                .hasMessageContaining("is required: no default secret");
    }

    @Test
    void noSecretValueShipsInTheValuesFile() throws IOException {
        String values = Files.readString(HelmChartTest.CHART.resolve("values.yaml"));
        assertThat(values).contains("secretKey: \"\"", "rootPassword: \"\"").doesNotContain("change-me");
    }

    @Test
    void givenSecretsRenderIntoOneSecretPerIdentity() {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(template()).call());
        assertThat(m.names("Secret")).containsExactlyInAnyOrder("falab-trainer-object-store",
                "falab-analysis-object-store", "falab-gateway-object-store", "falab-minio-root");
        Secret trainer = m.one(Secret.class, "falab-trainer-object-store"::equals);
        assertThat(trainer.getStringData()).containsEntry("secret-key", "trainer-secret-for-tests")
                .containsEntry("access-key", "falab-trainer");
    }

    @Test
    void existingSecretsAreUsedAndNoneIsRendered() {
        Manifests m = Manifests.parse(template().set("objectStore.trainer.existingSecret", "mine-trainer")
                .set("objectStore.analysis.existingSecret", "mine-analysis")
                .set("objectStore.gateway.existingSecret", "mine-gateway")
                .set("objectStore.minio.existingSecret", "mine-root").call());
        assertThat(m.names("Secret")).isEmpty();
        assertThat(secretRefs(m.container("trainer-service"))).contains("mine-trainer").doesNotContain("mine-analysis");
        assertThat(secretRefs(m.container("analysis-service"))).contains("mine-analysis").doesNotContain("mine-trainer");
        assertThat(secretRefs(m.container("gateway"))).contains("mine-gateway").doesNotContain("mine-trainer");
        assertThat(secretRefs(m.container("minio"))).containsOnly("mine-root");
        m.assertReferencesResolved(Set.of("mine-trainer", "mine-analysis", "mine-gateway", "mine-root", "falab-gateway",
                "falab-trainer", "falab-analysis", "falab-kafka-cluster-ca-cert", "falab-auth-public-key"));
    }

    @Test
    void eachServiceHasItsOwnObjectStoreIdentityAndNoneHasTheRoot() throws IOException {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(template()).call());
        assertThat(secretRefs(m.container("trainer-service"))).containsOnly("falab-trainer-object-store", "falab-trainer");
        assertThat(secretRefs(m.container("analysis-service"))).containsOnly("falab-analysis-object-store", "falab-analysis");
        assertThat(secretRefs(m.container("gateway"))).as("its read-only identity signs download links")
                .containsOnly("falab-gateway-object-store", "falab-gateway");
        assertThat(secretRefs(m.container("minio"))).containsOnly("falab-minio-root");

        // the setup Job gives each identity its policy: the chart's policy files, for the release's bucket
        Job setup = m.one(Job.class, n -> n.startsWith("falab-minio-setup-"));
        Container mc = setup.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(secretRefs(mc)).containsExactlyInAnyOrder("falab-minio-root", "falab-trainer-object-store",
                "falab-analysis-object-store", "falab-gateway-object-store");
        assertThat(mc.getCommand()).containsExactly("/bin/sh", "/setup/setup.sh");
        assertThat(mc.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Manifests renamed = Manifests.parse(HelmChartTest.withSecrets(template()).set("objectStore.bucket", "lab-runs").call());
        ConfigMap policies = renamed.one(ConfigMap.class, "falab-minio-setup"::equals);
        assertThat(policies.getData().get("setup.sh")).isEqualTo(
                Files.readString(Manifests.ROOT.resolve("k8s/infra/minio/setup.sh")))
                .contains("mc admin policy create falab \"falab-$who\" \"/setup/$who.json\"", "mc admin user add",
                        "mc admin policy attach");
        for (String who : List.of("trainer", "analysis", "gateway")) {
            JsonNode file = JSON.readTree(Manifests.ROOT.resolve("k8s/infra/minio/policies/" + who + ".json").toFile());
            JsonNode rendered = JSON.readTree(policies.getData().get(who + ".json"));
            assertThat(rendered.toString()).isEqualTo(file.toString().replace("arn:aws:s3:::falab", "arn:aws:s3:::lab-runs"));
        }
    }

    /** The policies grant what docs/security.md says, and nothing with a wildcard action or the whole bucket. */
    @Test
    void thePoliciesAreLeastPrivilege() throws IOException {
        Map<String, Set<String>> trainer = grants("trainer");
        assertThat(trainer).containsOnlyKeys("arn:aws:s3:::falab", "arn:aws:s3:::falab/runs/*",
                "arn:aws:s3:::falab/datasets/*");
        assertThat(trainer.get("arn:aws:s3:::falab/runs/*")).contains("s3:PutObject", "s3:GetObject");
        assertThat(trainer.get("arn:aws:s3:::falab/datasets/*")).containsExactly("s3:GetObject");
        Map<String, Set<String>> analysis = grants("analysis");
        assertThat(analysis).containsOnlyKeys("arn:aws:s3:::falab", "arn:aws:s3:::falab/runs/*/snapshots/*");
        assertThat(analysis.get("arn:aws:s3:::falab/runs/*/snapshots/*")).containsExactly("s3:GetObject");
        Map<String, Set<String>> gateway = grants("gateway");
        assertThat(gateway).as("read only the objects it links to").containsOnly(
                Map.entry("arn:aws:s3:::falab/runs/*/checkpoints/*", Set.of("s3:GetObject")),
                Map.entry("arn:aws:s3:::falab/runs/*/snapshots/*", Set.of("s3:GetObject")));
        for (Map<String, Set<String>> policy : List.of(trainer, analysis)) {
            assertThat(policy.get("arn:aws:s3:::falab")).as("bucket-level: find and list, never create or delete")
                    .allMatch(a -> a.startsWith("s3:List") || a.equals("s3:GetBucketLocation"));
            assertThat(policy.values()).flatMap(a -> a).noneMatch(a -> a.contains("*"));
        }
    }

    @Test
    void kafkaRunsTlsAndScramWithOneUserPerServiceAndTheDataFlowsAcls() {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(template()).call());
        Map<String, Object> kafka = Manifests.map(Manifests.spec(m.custom("Kafka").get(0)).get("kafka"));
        assertThat(Manifests.list(kafka.get("listeners"))).singleElement().satisfies(l -> {
            Map<String, Object> listener = Manifests.map(l);
            assertThat(listener).containsEntry("tls", true).containsEntry("port", 9093);
            assertThat(Manifests.map(listener.get("authentication"))).containsEntry("type", "scram-sha-512");
        });
        assertThat(Manifests.map(kafka.get("authorization"))).containsEntry("type", "simple");

        Map<String, Map<String, Set<String>>> table = KafkaAcls.topicAcls(m, "falab");
        assertThat(table).isEqualTo(KafkaAcls.EXPECTED);
        assertThat(KafkaAcls.writers(table)).containsEntry(Topics.RUN_REQUESTS, List.of("gateway"))
                .containsEntry(Topics.RUN_CANCELLATIONS, List.of("gateway"))
                .containsEntry(Topics.RUN_EVENTS, List.of("trainer")).containsEntry(Topics.SNAPSHOTS, List.of("trainer"))
                .containsEntry(Topics.ANALYSIS_RESULTS, List.of("analysis"))
                .containsEntry(Topics.ALIGNMENT_RESULTS, List.of("analysis"))
                .containsEntry(Topics.RUN_REQUESTS_DLQ, List.of("trainer"))
                .containsEntry(Topics.SNAPSHOTS_DLQ, List.of("analysis"))
                .containsOnlyKeys(Topics.ALL);

        // each service connects as its own user, over TLS, trusting only the cluster CA
        ConfigMap config = m.one(ConfigMap.class, n -> n.equals("falab-falab-config"));
        assertThat(config.getData()).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/falab/kafka-ca/ca.crt");
        for (String[] pair : new String[][] {{"gateway", "gateway"}, {"trainer-service", "trainer"},
                {"analysis-service", "analysis"}}) {
            Container c = m.container(pair[0]);
            assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("falab-" + pair[1]);
                        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
                    });
            assertThat(c.getVolumeMounts()).anyMatch(v -> v.getMountPath().equals("/etc/falab/kafka-ca"));
            PodSpec pod = m.podOf(pair[0]);
            assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null
                    && v.getSecret().getSecretName().equals("falab-kafka-cluster-ca-cert"));
        }
        assertThat(m.custom("KafkaUser")).extracting(u -> u.getMetadata().getName())
                .containsExactlyInAnyOrder("falab-gateway", "falab-trainer", "falab-analysis");
    }

    @Test
    void withoutKafkaSecurityTheClientsArePlaintextAndNoUsersAreRendered() {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(template()).set("kafka.security.enabled", "false").call());
        assertThat(m.custom("KafkaUser")).isEmpty();
        assertThat(m.one(ConfigMap.class, n -> n.equals("falab-falab-config")).getData())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "falab-kafka-kafka-bootstrap:9092");
        assertThat(m.container("gateway").getEnv()).noneMatch(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"));
    }

    private static Map<String, Set<String>> grants(String who) throws IOException {
        JsonNode policy = JSON.readTree(Manifests.ROOT.resolve("k8s/infra/minio/policies/" + who + ".json").toFile());
        Map<String, Set<String>> grants = new java.util.TreeMap<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
            for (JsonNode resource : statement.get("Resource")) {
                for (JsonNode action : statement.get("Action")) {
                    grants.computeIfAbsent(resource.asText(), r -> new java.util.TreeSet<>()).add(action.asText());
                }
            }
        }
        return grants;
    }

    private static List<String> secretRefs(Container c) {
        return Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of()).stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName()).distinct().toList();
    }
}
