package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.falab.contracts.events.Topics;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The ACL table of the rendered KafkaUsers, and the one falab's data flow asks for, with the topic names taken from
 * contracts' {@link Topics} (not retyped): who may write and read which topic.
 */
final class KafkaAcls {

    /** user suffix -> topic -> the operations it may do there. */
    static final Map<String, Map<String, Set<String>>> EXPECTED = Map.of(
            "gateway", Map.of(
                    Topics.RUN_REQUESTS, Set.of("Write", "Read", "Describe"),
                    Topics.RUN_CANCELLATIONS, Set.of("Write", "Read", "Describe"),
                    Topics.RUN_EVENTS, Set.of("Read", "Describe"),
                    Topics.SNAPSHOTS, Set.of("Read", "Describe"),
                    Topics.ANALYSIS_RESULTS, Set.of("Read", "Describe"),
                    Topics.ALIGNMENT_RESULTS, Set.of("Read", "Describe")),
            "trainer", Map.of(
                    Topics.RUN_REQUESTS, Set.of("Read", "Describe"),
                    Topics.RUN_CANCELLATIONS, Set.of("Read", "Describe"),
                    Topics.RUN_EVENTS, Set.of("Write", "Describe"),
                    Topics.SNAPSHOTS, Set.of("Write", "Describe"),
                    Topics.RUN_REQUESTS_DLQ, Set.of("Write", "Describe")),
            "analysis", Map.of(
                    Topics.SNAPSHOTS, Set.of("Read", "Describe"),
                    Topics.ANALYSIS_RESULTS, Set.of("Write", "Describe"),
                    Topics.ALIGNMENT_RESULTS, Set.of("Write", "Describe"),
                    Topics.SNAPSHOTS_DLQ, Set.of("Write", "Describe")));

    private KafkaAcls() {
    }

    /** The rendered table: user (the part after "RELEASE-") -> topic -> operations; other resources left out. */
    static Map<String, Map<String, Set<String>>> topicAcls(Manifests m, String release) {
        Map<String, Map<String, Set<String>>> table = new TreeMap<>();
        for (GenericKubernetesResource user : m.custom("KafkaUser")) {
            String name = user.getMetadata().getName();
            assertThat(name).startsWith(release + "-");
            Map<String, Object> spec = Manifests.spec(user);
            assertThat(Manifests.map(spec.get("authentication"))).containsEntry("type", "scram-sha-512");
            Map<String, Object> authorization = Manifests.map(spec.get("authorization"));
            assertThat(authorization).containsEntry("type", "simple");
            Map<String, Set<String>> topics = new TreeMap<>();
            for (Object o : Manifests.list(authorization.get("acls"))) {
                Map<String, Object> acl = Manifests.map(o);
                Map<String, Object> resource = Manifests.map(acl.get("resource"));
                if ("topic".equals(resource.get("type"))) {
                    assertThat(resource).as("no topic wildcards or prefixes").containsEntry("patternType", "literal");
                    topics.computeIfAbsent((String) resource.get("name"), t -> new TreeSet<>())
                            .addAll(Manifests.list(acl.get("operations")).stream().map(String.class::cast).toList());
                }
            }
            table.put(name.substring(release.length() + 1), topics);
        }
        return table;
    }

    /** Who may write each topic: exactly one writer per topic, the one the data flow names. */
    static Map<String, List<String>> writers(Map<String, Map<String, Set<String>>> table) {
        Map<String, List<String>> writers = new TreeMap<>();
        table.forEach((user, topics) -> topics.forEach((topic, ops) -> {
            if (ops.contains("Write")) {
                writers.computeIfAbsent(topic, t -> new java.util.ArrayList<>()).add(user);
            }
        }));
        return writers;
    }
}
