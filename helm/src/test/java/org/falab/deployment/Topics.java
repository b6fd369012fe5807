package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka topics: the contract's ({@link org.falab.contracts.events.Topics#ALL}, what the services use), and those
 * the topic table of docs/architecture.md ("Event contract") lists; the deployment tests compare both with the
 * topics the chart and the Kustomize base create.
 */
final class Topics {

    private Topics() {
    }

    /** Every topic the services use. */
    static Set<String> contract() {
        return new TreeSet<>(org.falab.contracts.events.Topics.ALL);
    }

    /**
     * A rendering's KafkaTopics have the settings of docs/deploy.md's "Topics" table: the contract's topics, each
     * with the table's partitions, cleanup policy and retention, and the given replicas and min.insync.replicas.
     */
    static void assertAsDocumented(Map<String, Map<String, Object>> topics, int replicas, int minInsyncReplicas)
            throws IOException {
        assertThat(topics.keySet()).as("KafkaTopics").containsExactlyInAnyOrderElementsOf(contract());
        Map<String, List<String>> table = deployTable();
        assertThat(table.keySet()).as("docs/deploy.md Topics table").containsExactlyInAnyOrderElementsOf(contract());
        topics.forEach((name, spec) -> {
            List<String> row = table.get(name);
            Map<?, ?> config = (Map<?, ?>) spec.get("config");
            assertThat(String.valueOf(spec.get("partitions"))).as(name + " partitions").isEqualTo(row.get(0));
            assertThat(spec.get("replicas")).as(name + " replicas").isEqualTo(replicas);
            assertThat(String.valueOf(config.get("min.insync.replicas"))).as(name + " min.insync.replicas")
                    .isEqualTo(String.valueOf(minInsyncReplicas));
            assertThat(config.get("cleanup.policy")).as(name + " cleanup.policy").isEqualTo(row.get(1));
            String retention = row.get(2).equals("-") ? null : row.get(2);
            assertThat(config.get("retention.ms") == null ? null : String.valueOf(config.get("retention.ms")))
                    .as(name + " retention.ms").isEqualTo(retention);
        });
        // what the issue asks of them, whatever the table says
        assertThat(((Map<?, ?>) topics.get(org.falab.contracts.events.Topics.RUN_CANCELLATIONS).get("config"))
                .get("cleanup.policy")).isEqualTo("compact");
        for (String dlq : List.of(org.falab.contracts.events.Topics.RUN_REQUESTS_DLQ,
                org.falab.contracts.events.Topics.SNAPSHOTS_DLQ)) {
            assertThat(String.valueOf(((Map<?, ?>) topics.get(dlq).get("config")).get("retention.ms")))
                    .as(dlq + ": 30 days").isEqualTo(String.valueOf(java.util.concurrent.TimeUnit.DAYS.toMillis(30)));
        }
        for (String kept : org.falab.contracts.events.Topics.REPLAYED) {
            if (!kept.equals(org.falab.contracts.events.Topics.RUN_CANCELLATIONS)) {
                assertThat(String.valueOf(((Map<?, ?>) topics.get(kept).get("config")).get("retention.ms")))
                        .as(kept + ": kept forever").isEqualTo("-1");
            }
        }
    }

    /** docs/deploy.md "## Topics": topic -> [partitions, cleanup.policy, retention.ms or "-"]. */
    static Map<String, List<String>> deployTable() throws IOException {
        String all = Files.readString(Manifests.ROOT.resolve("docs/deploy.md"));
        int from = all.indexOf("\n## Topics");
        assertThat(from).as("docs/deploy.md has a section Topics").isNotNegative();
        int to = all.indexOf("\n## ", from + 1);
        String doc = all.substring(from, to < 0 ? all.length() : to);
        Map<String, List<String>> rows = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `(falab\\.[a-z.-]+)` \\| (\\d+) \\| (\\w+) \\| `?(-?\\d+|-)`?[^|]*\\|")
                .matcher(doc);
        while (m.find()) {
            rows.put(m.group(1), List.of(m.group(2), m.group(3), m.group(4)));
        }
        return rows;
    }

    /** The topics of docs/architecture.md's table, as written there. */
    static Set<String> documented() throws IOException {
        String all = Files.readString(Manifests.ROOT.resolve("docs/architecture.md"));
        int from = all.indexOf("## Event contract");
        String doc = all.substring(from, all.indexOf("\n## ", from + 1));
        Set<String> topics = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(falab\\.[a-z.-]+)`").matcher(doc);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }
}
