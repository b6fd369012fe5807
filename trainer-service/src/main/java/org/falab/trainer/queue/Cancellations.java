package org.falab.trainer.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The runs someone cancelled: every trainer reads all of {@code falab.run-cancellations} from the beginning (no group;
 * the topic is compacted, one record per run) and keeps reading, so a queued run it takes later is never started and a
 * run it trains stops within a step.
 */
@ApplicationScoped
public class Cancellations {

    private static final Logger LOG = Logger.getLogger(Cancellations.class);

    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    /** bootstrap.servers and every other kafka.* setting (TLS, SASL: the deployment's), as the channels get them. */
    private final Map<String, Object> kafka;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running = true;
    private Thread reader;

    public Cancellations(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent start) {
        reader = new Thread(this::read, "falab-cancellations");
        reader.setDaemon(true);
        reader.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Why the run was cancelled, or null when it was not (as far as this trainer has read). */
    public String reason(String runId) {
        return reasons.get(runId);
    }

    private void read() {
        Map<String, Object> settings = new HashMap<>(kafka);
        // no group: every trainer reads every cancellation (Quarkus adds a default group id to these settings)
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        while (running) {
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.RUN_CANCELLATIONS, Duration.ofSeconds(30))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    for (var record : c.poll(Duration.ofSeconds(1))) {
                        accept(record.key(), record.value());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the topic may not exist yet, or the broker is away: try again shortly
                LOG.debugf("reading cancellations: %s", e.getMessage());
                pause();
            }
        }
    }

    private void accept(String key, String value) {
        if (value == null) {
            return;
        }
        try {
            RunCancellation cancellation = ContractJson.read(value, RunCancellation.class);
            reasons.put(cancellation.runId(), cancellation.reason() == null ? "cancelled" : cancellation.reason());
        } catch (RuntimeException e) {
            LOG.warnf("ignored a cancellation that is not a RunCancellation (key %s): %s", key, e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
