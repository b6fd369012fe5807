package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Rendered Kubernetes manifests, parsed with fabric8 (no cluster), and the checks every rendering must pass. */
final class Manifests {

    /** Where the repository is (surefire sets falab.root; from an IDE the module folder's parent). */
    static final Path ROOT = Path.of(System.getProperty("falab.root", "..")).toAbsolutePath().normalize();

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Parses multi-document YAML; documents without a kind (comments only) are skipped. */
    static Manifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(doc);
            assertThat(parsed).as("a Kubernetes object:\n%s", doc).isInstanceOf(HasMetadata.class);
            objects.add((HasMetadata) parsed);
        }
        return new Manifests(objects);
    }

    static Manifests of(List<HasMetadata> objects) {
        return new Manifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, Predicate<String> name) {
        List<T> found = all(type).stream().filter(o -> name.test(o.getMetadata().getName())).toList();
        assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    /** Bare Pods (the chart's helm test). */
    List<io.fabric8.kubernetes.api.model.Pod> pods() {
        return all(io.fabric8.kubernetes.api.model.Pod.class);
    }

    List<PodTemplateSpec> podTemplates() {
        return Stream.concat(all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate())).toList();
    }

    /** Every container: requests and limits (cpu, memory), liveness and readiness probes, non-root, read-only root. */
    void assertWorkloadsHardened() {
        assertThat(podTemplates()).as("workloads").isNotEmpty();
        for (PodTemplateSpec template : podTemplates()) {
            PodSpec pod = template.getSpec();
            for (Container c : pod.getContainers()) {
                String who = "container " + c.getName();
                assertThat(c.getResources()).as(who + " resources").isNotNull();
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertThat(requests).as(who + " requests").containsKeys("cpu", "memory");
                assertThat(limits).as(who + " limits").containsKeys("cpu", "memory");
                assertThat(c.getLivenessProbe()).as(who + " liveness probe").isNotNull();
                assertThat(c.getReadinessProbe()).as(who + " readiness probe").isNotNull();
                boolean nonRoot = Boolean.TRUE.equals(pod.getSecurityContext() == null ? null
                        : pod.getSecurityContext().getRunAsNonRoot())
                        || (c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot()));
                assertThat(nonRoot).as(who + " runAsNonRoot").isTrue();
                Long uid = c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null
                        ? c.getSecurityContext().getRunAsUser() : pod.getSecurityContext().getRunAsUser();
                assertThat(uid).as(who + " runAsUser").isNotNull().isNotZero();
                assertThat(c.getSecurityContext()).as(who + " securityContext").isNotNull();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(who + " readOnlyRootFilesystem").isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(who + " no privilege escalation").isFalse();
                assertThat(c.getVolumeMounts()).as(who + " writable /tmp")
                        .anyMatch(m -> m.getMountPath().equals("/tmp"));
            }
        }
    }

    /** The falab services probe Quarkus health: /q/health/live and /q/health/ready. */
    void assertQuarkusProbes(String... containers) {
        for (String name : containers) {
            Container c = container(name);
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        }
    }

    Container container(String name) {
        List<Container> found = podTemplates().stream().flatMap(t -> t.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(name)).toList();
        assertThat(found).as("container " + name).hasSize(1);
        return found.get(0);
    }

    PodSpec podOf(String container) {
        return podTemplates().stream().map(PodTemplateSpec::getSpec)
                .filter(p -> p.getContainers().stream().anyMatch(c -> c.getName().equals(container)))
                .findFirst().orElseThrow();
    }

    /** Every Service has a selector, and some workload's pod labels contain it. */
    void assertServicesSelectPods() {
        assertThat(all(Service.class)).isNotEmpty();
        for (Service s : all(Service.class)) {
            Map<String, String> selector = s.getSpec().getSelector();
            assertThat(selector).as("selector of Service " + s.getMetadata().getName()).isNotEmpty();
            assertThat(podTemplates()).as("pods selected by Service " + s.getMetadata().getName())
                    .anyMatch(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
        }
    }

    /** Every ConfigMap and Secret a pod references is rendered, or is one of the documented external ones. */
    void assertReferencesResolved(Set<String> externalSecrets) {
        Set<String> configMaps = names("ConfigMap");
        Set<String> secrets = names("Secret");
        for (PodTemplateSpec t : podTemplates()) {
            PodSpec pod = t.getSpec();
            for (Container c : pod.getContainers()) {
                for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getConfigMapRef() != null) {
                        assertThat(configMaps).as("ConfigMaps").contains(from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null) {
                        assertSecret(secrets, externalSecrets, from.getSecretRef().getName());
                    }
                }
                for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        assertSecret(secrets, externalSecrets, env.getValueFrom().getSecretKeyRef().getName());
                    }
                    if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                        assertThat(configMaps).contains(env.getValueFrom().getConfigMapKeyRef().getName());
                    }
                }
            }
            for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
                if (v.getConfigMap() != null) {
                    assertThat(configMaps).contains(v.getConfigMap().getName());
                }
                if (v.getSecret() != null) {
                    assertSecret(secrets, externalSecrets, v.getSecret().getSecretName());
                }
                if (v.getPersistentVolumeClaim() != null) {
                    assertThat(names("PersistentVolumeClaim")).contains(v.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
    }

    private static void assertSecret(Set<String> rendered, Set<String> external, String name) {
        assertThat(rendered.contains(name) || external.contains(name))
                .as("Secret %s is rendered (%s) or documented as external (%s)", name, rendered, external).isTrue();
    }

    Set<String> names(String kind) {
        Set<String> names = new HashSet<>();
        objects.stream().filter(o -> kind.equals(o.getKind())).forEach(o -> names.add(o.getMetadata().getName()));
        return names;
    }

    /** KEDA ScaledObjects and ServiceMonitors point at rendered objects. */
    void assertCustomReferences() {
        for (GenericKubernetesResource so : custom("ScaledObject")) {
            String target = (String) map(spec(so).get("scaleTargetRef")).get("name");
            assertThat(names("Deployment")).as("ScaledObject target").contains(target);
        }
        for (GenericKubernetesResource sm : custom("ServiceMonitor")) {
            @SuppressWarnings("unchecked")
            Map<String, String> match = (Map<String, String>) ((Map<?, ?>) ((Map<?, ?>) sm.getAdditionalProperties()
                    .get("spec")).get("selector")).get("matchLabels");
            assertThat(all(Service.class)).as("Services selected by ServiceMonitor " + sm.getMetadata().getName())
                    .anyMatch(s -> s.getMetadata().getLabels().entrySet().containsAll(match.entrySet()));
        }
    }

    /**
     * Only the gateway is open to everyone: some policy denies all ingress by default, and every rule without
     * a {@code from} (any source) selects gateway pods only.
     */
    void assertOnlyGatewayReachable() {
        List<NetworkPolicy> policies = all(NetworkPolicy.class);
        assertThat(policies).as("a default-deny policy").anyMatch(p -> p.getSpec().getPolicyTypes().contains("Ingress")
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty()));
        for (NetworkPolicy p : policies) {
            for (NetworkPolicyIngressRule rule : Objects.requireNonNullElse(p.getSpec().getIngress(),
                    List.<NetworkPolicyIngressRule>of())) {
                boolean anySource = rule.getFrom() == null || rule.getFrom().isEmpty();
                if (anySource) {
                    assertThat(p.getSpec().getPodSelector().getMatchLabels())
                            .as("policy %s opens to anyone: only the gateway may be", p.getMetadata().getName())
                            .containsEntry("app.kubernetes.io/name", "gateway");
                } else {
                    assertThat(rule.getFrom()).as("policy %s has no ipBlock sources", p.getMetadata().getName())
                            .allMatch(peer -> peer.getIpBlock() == null);
                }
            }
        }
    }

    /**
     * The trainer leaves without losing work and without taking the others with it: a RollingUpdate that never
     * removes a trainer before its successor is ready (maxUnavailable 0, never Recreate), the grace period the
     * checkpoint needs, and its own ServiceAccount that may only get and patch pods (for its own
     * pod-deletion-cost), bound by a RoleBinding, with POD_NAME and POD_NAMESPACE from the downward API. No other
     * pod mounts a token.
     */
    void assertTrainerLeavesGracefully(String container, long graceSeconds) {
        Deployment trainer = all(Deployment.class).stream().filter(d -> d.getSpec().getTemplate().getSpec()
                .getContainers().stream().anyMatch(c -> c.getName().equals(container))).findFirst().orElseThrow();
        var strategy = trainer.getSpec().getStrategy();
        assertThat(strategy.getType()).as("trainer strategy").isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).as("maxUnavailable").isZero();
        assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).as("maxSurge").isEqualTo(1);
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).as("terminationGracePeriodSeconds").isEqualTo(graceSeconds);

        String account = pod.getServiceAccountName();
        assertThat(account).as("trainer serviceAccountName").isNotBlank();
        assertThat(pod.getAutomountServiceAccountToken()).as("the trainer mounts its token").isTrue();
        assertThat(all(ServiceAccount.class)).extracting(a -> a.getMetadata().getName()).contains(account);
        List<RoleBinding> bindings = all(RoleBinding.class).stream().filter(b -> b.getSubjects().stream()
                .anyMatch(s -> "ServiceAccount".equals(s.getKind()) && account.equals(s.getName()))).toList();
        assertThat(bindings).as("RoleBindings of " + account).hasSize(1);
        assertThat(bindings.get(0).getRoleRef().getKind()).isEqualTo("Role");
        Role role = one(Role.class, n -> n.equals(bindings.get(0).getRoleRef().getName()));
        assertThat(role.getRules()).as("the trainer's only permission").singleElement().satisfies((PolicyRule r) -> {
            assertThat(r.getApiGroups()).containsExactly("");
            assertThat(r.getResources()).containsExactly("pods");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "patch");
            assertThat(r.getResourceNames()).isNullOrEmpty();
        });
        assertThat(all(io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class)).as("no cluster-wide rights").isEmpty();

        Container c = container(container);
        assertThat(c.getEnv()).as("downward API").anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        }).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        });
        assertThat(podTemplates()).filteredOn(t -> t.getSpec() != pod)
                .allSatisfy(t -> assertThat(t.getSpec().getAutomountServiceAccountToken())
                        .as("only the trainer mounts a token").isFalse());
    }

    /** Every KafkaTopic's spec, by topic name. */
    Map<String, Map<String, Object>> topics() {
        Map<String, Map<String, Object>> topics = new java.util.TreeMap<>();
        custom("KafkaTopic").forEach(t -> topics.put((String) spec(t).get("topicName"), spec(t)));
        return topics;
    }

    static Map<String, Object> spec(GenericKubernetesResource r) {
        return map(r.getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
