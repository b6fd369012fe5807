package org.falab.gateway.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The replay: one Kafka consumer on its own thread reads every replayed topic from the beginning and hands each
 * record to a sink (the {@link ReplayListener}), then tells {@link ReplayProgress} how far it got. Plain Java, so a
 * test can run a second replay into a fresh registry, as a restarted gateway would.
 *
 * <p>A plain consumer, not a SmallRye channel, because readiness needs the consumer's positions after the records
 * before them were applied: a channel hands records on asynchronously and keeps its consumer to itself. The
 * settings that make it a replay are fixed here: its own group (never committing, so every start reads from the
 * beginning), {@code read_committed} (a sweep's transaction that was aborted is never seen, an open one is waited
 * for), string keys and values (the listener parses, and skips what it cannot).
 *
 * <p>It never stops on its own: a broker that is away is retried every {@code retryBackoff}.
 */
public final class ReplayConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplayConsumer.class);

    /**
     * @param kafka          client settings (bootstrap.servers and whatever the deployment adds); the replay's
     *                       own settings are laid over them
     * @param groupId        unique to this replay
     * @param topics         the topics to replay
     * @param pollTimeout    longest wait of one poll
     * @param requestTimeout longest wait for partitions, end offsets and positions
     * @param retryBackoff   pause after a failure before trying again
     */
    public record Settings(Map<String, Object> kafka, String groupId, List<String> topics, Duration pollTimeout,
                           Duration requestTimeout, Duration retryBackoff) {
    }

    /** Consecutive failed polls after which the consumer is replaced (and the topics read again). */
    private static final int MAX_FAILURES_PER_CONSUMER = 10;

    private final Settings settings;
    private final Consumer<ConsumerRecord<String, String>> sink;
    private final ReplayProgress progress = new ReplayProgress();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile long applied;

    public ReplayConsumer(Settings settings, Consumer<ConsumerRecord<String, String>> sink) {
        this.settings = settings;
        this.sink = sink;
        this.thread = new Thread(this::run, "falab-replay-" + settings.groupId());
        this.thread.setDaemon(true);
    }

    /** Starts the replay thread. */
    public ReplayConsumer start() {
        thread.start();
        return this;
    }

    public ReplayProgress progress() {
        return progress;
    }

    /** Records handed to the sink so far. */
    public long applied() {
        return applied;
    }

    /** The consumer's client settings: the deployment's, with the replay's own laid over them. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-replay");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private void run() {
        while (running) {
            KafkaConsumer<String, String> kafka = null;
            try {
                kafka = new KafkaConsumer<>(clientConfig());
                consumer = kafka;
                kafka.subscribe(settings.topics());
                int failures = 0;
                while (running) {
                    try {
                        pollOnce(kafka);
                        failures = 0;
                    } catch (WakeupException | InterruptException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // keep the consumer (and its positions): a new one would read everything again
                        if (++failures >= MAX_FAILURES_PER_CONSUMER) {
                            throw e;
                        }
                        LOG.warnf("replay poll failed, trying again in %s: %s", settings.retryBackoff(),
                                e.getMessage());
                        pause();
                    }
                }
            } catch (WakeupException | InterruptException e) {
                // close() woke us up
            } catch (RuntimeException e) {
                LOG.warnf("replay consumer failed, starting a new one in %s: %s", settings.retryBackoff(),
                        e.getMessage());
                pause();
            } finally {
                consumer = null;
                if (kafka != null) {
                    closeQuietly(kafka);
                }
            }
        }
    }

    private static void closeQuietly(KafkaConsumer<String, String> kafka) {
        try {
            // not the default 30 s: a gateway shutting down with the broker away must not hang
            kafka.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("replay consumer close: %s", e.getMessage());
        }
    }

    private void pollOnce(KafkaConsumer<String, String> kafka) {
        if (!progress.hasTargets()) {
            try {
                takeTargets(kafka);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                // the broker is away: replay what comes, take the targets when it answers
                LOG.warnf("replay could not read the end offsets yet: %s", e.getMessage());
            }
        }
        ConsumerRecords<String, String> records = kafka.poll(settings.pollTimeout());
        for (ConsumerRecord<String, String> record : records) {
            sink.accept(record);
            applied++;
        }
        if (progress.hasTargets() && !progress.caughtUp()
                && progress.check(kafka.assignment(), tp -> kafka.position(tp, settings.requestTimeout()))) {
            LOG.infof("replay caught up in %s: %d records applied", progress.catchUpTime(), applied);
        }
    }

    /**
     * Takes the end offsets of every partition of the topics as the targets, once the group gave this consumer all
     * of them (before that the consumer cannot keep their last stable offsets); with no partitions at all (no
     * topic yet) there is nothing to catch up with.
     */
    private void takeTargets(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : settings.topics()) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, settings.requestTimeout());
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        if (!partitions.isEmpty() && !kafka.assignment().containsAll(partitions)) {
            return;
        }
        // read_committed: the last stable offsets
        progress.target(kafka.endOffsets(partitions, settings.requestTimeout()));
        LOG.infof("replay targets taken: %d partitions", progress.partitions());
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops the thread and closes the consumer. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, String> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
