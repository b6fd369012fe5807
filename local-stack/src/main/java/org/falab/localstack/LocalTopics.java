package org.falab.localstack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The falab topics of the local stack and their settings: the one place they are written for {@code ./falab up}
 * and the services' tests ({@link LocalStackResource}). They are production's settings (the chart's kafka.topics,
 * helm/falab/values.yaml, docs/deploy.md "Topics") on one broker: one replica, and one partition each, since one
 * trainer and one analysis service consume them here and one partition keeps each topic in the order it was written.
 * <ul>
 *   <li>{@code falab.run-cancellations}: compacted. A gateway or trainer that starts reads the latest cancellation of
 *   every run from the beginning; compaction keeps that one per run (key = runId) and drops nothing else.</li>
 *   <li>the other event topics: kept forever ({@code retention.ms=-1}), since every gateway rebuilds its view of
 *   every run by replaying them from the beginning.</li>
 *   <li>the dead-letter topics: 30 days, long enough for a person to look, then gone.</li>
 * </ul>
 * {@link #ensure} creates what is missing and sets these settings on topics that already exist (e.g. one the broker
 * auto-created before), so running it again is harmless.
 * <pre>java -cp ... org.falab.localstack.LocalTopics BOOTSTRAP_SERVERS</pre>
 */
public final class LocalTopics {

    /** One topic: its name, partitions and topic-level configuration (replication is 1 on the local stack). */
    public record Topic(String name, int partitions, Map<String, String> config) {
        public Topic {
            config = Map.copyOf(config);
        }
    }

    static final String FOREVER = "-1";
    static final String THIRTY_DAYS_MS = String.valueOf(TimeUnit.DAYS.toMillis(30));

    /** Every falab topic (the contract's Topics.ALL; LocalTopicsIT checks that they agree). */
    public static final List<Topic> ALL = List.of(
            kept("falab.run-requests"),
            compacted("falab.run-cancellations"),
            kept("falab.run-events"),
            kept("falab.snapshots"),
            kept("falab.analysis-results"),
            kept("falab.alignment-results"),
            deadLetters("falab.run-requests.dlq"),
            deadLetters("falab.snapshots.dlq"));

    private LocalTopics() {
    }

    private static Topic kept(String name) {
        return new Topic(name, 1, Map.of("cleanup.policy", "delete", "retention.ms", FOREVER,
                "min.insync.replicas", "1"));
    }

    private static Topic compacted(String name) {
        return new Topic(name, 1, Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"));
    }

    private static Topic deadLetters(String name) {
        return new Topic(name, 1, Map.of("cleanup.policy", "delete", "retention.ms", THIRTY_DAYS_MS,
                "min.insync.replicas", "1"));
    }

    /** Creates the missing topics and sets every topic's configuration; returns the names it created. */
    public static List<String> ensure(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            for (Topic topic : ALL) {
                if (!existing.contains(topic.name()) && create(admin, topic)) {
                    created.add(topic.name());
                }
            }
            // the topics that were there already (auto-created, or from an older stack) get the settings too
            Map<ConfigResource, Collection<AlterConfigOp>> updates = new java.util.HashMap<>();
            for (Topic topic : ALL) {
                if (!created.contains(topic.name())) {
                    updates.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()),
                            topic.config().entrySet().stream().map(e -> new AlterConfigOp(
                                    new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList());
                }
            }
            if (!updates.isEmpty()) {
                admin.incrementalAlterConfigs(updates).all().get(30, TimeUnit.SECONDS);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the falab topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create the falab topics on " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    /** False when another client created it meanwhile (its settings are then set like an existing topic's). */
    private static boolean create(Admin admin, Topic topic) throws InterruptedException,
            java.util.concurrent.TimeoutException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic.name(), topic.partitions(), (short) 1)
                    .configs(topic.config()))).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LocalTopics BOOTSTRAP_SERVERS");
            System.exit(2);
        }
        List<String> created = ensure(args[0]);
        System.out.println("topics: " + ALL.size() + " set" + (created.isEmpty() ? "" : ", created " + created));
    }
}
