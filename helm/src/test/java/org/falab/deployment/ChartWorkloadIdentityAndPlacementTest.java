package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * What an operator of a shared cluster sets per service: its own ServiceAccount with cloud-identity annotations,
 * PodDisruptionBudgets, affinity and topology spread, priority and runtime class; pinned image tags; helm test.
 */
class ChartWorkloadIdentityAndPlacementTest {

    private static final List<String> SERVICES = List.of("gateway", "trainer-service", "analysis-service");

    @Test
    void everyServiceRunsAsItsOwnServiceAccountWithTheAnnotationsGiven() {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab"))
                .set("trainer.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn", "arn:aws:iam::1:role/falab-trainer")
                .call());
        for (String service : SERVICES) {
            assertThat(m.podOf(service).getServiceAccountName()).as(service).isEqualTo("falab-" + service);
        }
        assertThat(m.all(ServiceAccount.class)).extracting(a -> a.getMetadata().getName())
                .containsExactlyInAnyOrder("falab-gateway", "falab-trainer-service", "falab-analysis-service");
        assertThat(m.one(ServiceAccount.class, "falab-trainer-service"::equals).getMetadata().getAnnotations())
                .containsExactly(Map.entry("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/falab-trainer"));
        assertThat(m.one(ServiceAccount.class, "falab-gateway"::equals).getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(m.all(ServiceAccount.class)).allMatch(a -> Boolean.FALSE.equals(a.getAutomountServiceAccountToken()));
    }

    @Test
    void eachServiceHasADisruptionBudgetThatStillLetsANodeDrain() {
        Manifests m = HelmChartTest.render("(defaults)");
        List<PodDisruptionBudget> budgets = m.all(PodDisruptionBudget.class);
        assertThat(budgets).hasSize(3);
        for (String service : SERVICES) {
            PodDisruptionBudget pdb = m.one(PodDisruptionBudget.class, ("falab-" + service)::equals);
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(pdb.getSpec().getMinAvailable()).as("minAvailable would block draining one replica").isNull();
            assertThat(m.podTemplates()).as("pods of the PDB of " + service).filteredOn(t -> t.getMetadata().getLabels()
                    .entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet())).hasSize(1);
        }
        Manifests off = Manifests.parse(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab"))
                .set("analysis.podDisruptionBudget.enabled", "false").call());
        assertThat(off.names("PodDisruptionBudget")).containsExactlyInAnyOrder("falab-gateway", "falab-trainer-service");
    }

    @Test
    void placementValuesReachThePods() {
        Manifests m = Manifests.parse(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab"))
                .set("trainer.priorityClassName", "research-batch").set("gateway.priorityClassName", "platform-critical")
                .set("analysis.runtimeClassName", "gvisor")
                .set("trainer.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "pool")
                .set("trainer.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "In")
                .set("trainer.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]", "train")
                .call());
        PodSpec trainer = m.podOf("trainer-service");
        assertThat(trainer.getPriorityClassName()).isEqualTo("research-batch");
        assertThat(m.podOf("gateway").getPriorityClassName()).isEqualTo("platform-critical");
        assertThat(m.podOf("analysis-service").getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(trainer.getRuntimeClassName()).isNull();
        assertThat(trainer.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues()).containsExactly("train");
        // the default spread: replicas of a service on different nodes where possible, the labelSelector its pods'
        TopologySpreadConstraint spread = trainer.getTopologySpreadConstraints().get(0);
        assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
        assertThat(spread.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "trainer-service")
                .containsEntry("app.kubernetes.io/instance", "falab");
        assertThat(m.podOf("analysis-service").getTopologySpreadConstraints()).isNullOrEmpty();
    }

    @Test
    void gpuTrainersRunWithTheNvidiaRuntimeClass() {
        assertThat(HelmChartTest.render("values-gpu.yaml").podOf("trainer-service").getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(HelmChartTest.render("(defaults)").podOf("trainer-service").getRuntimeClassName()).isNull();
    }

    @Test
    void imagesArePinnedToTheChartsAppVersionAndPulledOnlyWhenMissing() throws IOException {
        String appVersion = HelmChartTest.appVersion();
        assertThat(appVersion).as("a release, not a moving SNAPSHOT").doesNotContain("SNAPSHOT").matches("\\d+\\.\\d+\\.\\d+");
        Manifests m = HelmChartTest.render("(defaults)");
        for (String service : SERVICES) {
            Container c = m.container(service);
            assertThat(c.getImage()).isEqualTo("falab/" + service + ":" + appVersion);
            assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        }
        // a moving tag is pulled every time, or nodes keep the first image they got
        Manifests snapshot = Manifests.parse(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab"))
                .set("image.tag", "0.2.0-SNAPSHOT").call());
        assertThat(snapshot.container("gateway").getImage()).isEqualTo("falab/gateway:0.2.0-SNAPSHOT");
        assertThat(snapshot.container("gateway").getImagePullPolicy()).isEqualTo("Always");
    }

    /** The helm CLI: helm-java's template leaves hooks out, `helm template` renders the test hook as install does. */
    @Test
    void helmTestSubmitsATinyRunWithTheTokenAndWaitsForSucceeded() throws Exception {
        HelmCli.Result r = HelmCli.template("--set", "tests.tokenSecret=falab-smoke-token");
        assertThat(r.exitValue()).as(r.err()).isZero();
        Manifests m = Manifests.parse(r.out());
        Pod test = m.pods().stream().filter(p -> p.getMetadata().getName().equals("falab-test-submit-run")).findFirst()
                .orElseThrow();
        assertThat(test.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
        Container c = test.getSpec().getContainers().get(0);
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("TOKEN");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("falab-smoke-token");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        }).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("GATEWAY=http://falab-gateway:8080"));
        String script = String.join("\n", c.getArgs());
        assertThat(script).contains("Authorization: Bearer $TOKEN", "\"dataset\":\"synthetic\"", "/api/v1/runs",
                "SUCCEEDED) exit 0");
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(test.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(Manifests.parse(HelmCli.template("--set", "tests.enabled=false").out()).pods()).isEmpty();
    }

    /** docs/auth.md: the gateway verifies tokens with the issuer's public key, mounted where it looks, or a JWKS URL. */
    @Test
    void theGatewayVerifiesTokensWithTheIssuersPublicKeyOrAJwksUrl() {
        Manifests m = HelmChartTest.render("(defaults)");
        Container gateway = m.container("gateway");
        assertThat(gateway.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("MP_JWT_VERIFY_ISSUER=falab-local"));
        assertThat(gateway.getVolumeMounts()).anySatisfy(v -> {
            assertThat(v.getMountPath()).isEqualTo("/etc/falab/auth");
            assertThat(v.getReadOnly()).isTrue();
        });
        assertThat(m.podOf("gateway").getVolumes()).filteredOn(v -> v.getSecret() != null).anySatisfy(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo("falab-auth-public-key");
            assertThat(v.getSecret().getItems().get(0).getPath()).isEqualTo("public-key.pem");
        });
        // only the gateway verifies tokens
        for (String other : List.of("trainer-service", "analysis-service")) {
            assertThat(m.container(other).getVolumeMounts()).noneMatch(v -> v.getMountPath().equals("/etc/falab/auth"));
        }
        Manifests oidc = Manifests.parse(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab"))
                .set("auth.publicKeyLocation", "https://idp.example/realms/falab/protocol/openid-connect/certs")
                .set("auth.issuer", "https://idp.example/realms/falab").call());
        assertThat(oidc.container("gateway").getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).contains(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION=https://idp.example/realms/falab/protocol/openid-connect/certs",
                "MP_JWT_VERIFY_ISSUER=https://idp.example/realms/falab");
        assertThat(oidc.container("gateway").getVolumeMounts()).noneMatch(v -> v.getMountPath().equals("/etc/falab/auth"));
    }
}
