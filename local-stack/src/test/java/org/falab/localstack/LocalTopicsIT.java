package org.falab.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.falab.contracts.events.Topics;
import org.junit.jupiter.api.Test;

/** LocalTopics on a real broker: what the broker then reports for each topic, not what was asked for. */
class LocalTopicsIT {

    @Test
    void theLocalStackHasEveryTopicOfTheContract() {
        assertThat(LocalTopics.ALL).extracting(LocalTopics.Topic::name)
                .containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void createsEveryTopicWithItsSettingsAndSetsThemOnTopicsThatWereThere() throws Exception {
        try (LocalKafka kafka = LocalKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // as an older stack left it: auto-created with the broker's defaults (delete, 7 days)
            admin.createTopics(List.of(new NewTopic(Topics.RUN_CANCELLATIONS, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);

            List<String> created = LocalTopics.ensure(kafka.bootstrapServers());
            assertThat(created).hasSize(Topics.ALL.size() - 1).doesNotContain(Topics.RUN_CANCELLATIONS);
            assertThat(LocalTopics.ensure(kafka.bootstrapServers())).as("a second run creates nothing").isEmpty();

            Map<String, TopicDescription> described = admin.describeTopics(Topics.ALL).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
            assertThat(described.values()).allSatisfy(d -> {
                assertThat(d.partitions()).as(d.name() + " partitions").hasSize(1);
                assertThat(d.partitions().get(0).replicas()).as(d.name() + " replicas").hasSize(1);
            });
            Map<String, Config> configs = admin.describeConfigs(Topics.ALL.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));

            assertThat(value(configs, Topics.RUN_CANCELLATIONS, "cleanup.policy")).isEqualTo("compact");
            for (String kept : List.of(Topics.RUN_REQUESTS, Topics.RUN_EVENTS, Topics.SNAPSHOTS,
                    Topics.ANALYSIS_RESULTS, Topics.ALIGNMENT_RESULTS)) {
                assertThat(value(configs, kept, "cleanup.policy")).as(kept).isEqualTo("delete");
                assertThat(value(configs, kept, "retention.ms")).as(kept).isEqualTo("-1");
            }
            for (String dlq : List.of(Topics.RUN_REQUESTS_DLQ, Topics.SNAPSHOTS_DLQ)) {
                assertThat(value(configs, dlq, "cleanup.policy")).as(dlq).isEqualTo("delete");
                assertThat(value(configs, dlq, "retention.ms")).as(dlq)
                        .isEqualTo(String.valueOf(TimeUnit.DAYS.toMillis(30)));
            }
        }
    }

    private static String value(Map<String, Config> configs, String topic, String key) {
        return configs.get(topic).get(key).value();
    }
}
