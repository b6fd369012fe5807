package org.falab.gateway.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;
import org.falab.gateway.config.GatewayConfig;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * Writes all the runs of a sweep to falab.run-requests in one Kafka transaction, so a read_committed reader (the
 * gateways' replay, the trainers) sees the whole sweep or none of it, never a part that a broker failure left behind.
 *
 * <p>A plain transactional producer rather than a SmallRye channel: one producer runs one transaction at a time, so
 * the sweeps are queued on one thread, and the producer is only made (and its transactions initialised) when the
 * first sweep comes, so a gateway starts while the broker is away. After any failure the producer is closed and the
 * next sweep makes a new one with the same transactional id, which aborts whatever the old one left open.
 */
@ApplicationScoped
public class SweepRequestPublisher {

    private static final Logger LOG = Logger.getLogger(SweepRequestPublisher.class);

    private final Map<String, Object> kafka;
    private final GatewayConfig config;
    private final String transactionalId;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "falab-sweep-transactions");
        t.setDaemon(true);
        return t;
    });
    /** Only touched on {@link #thread}. */
    private KafkaProducer<String, String> producer;

    public SweepRequestPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            GatewayConfig config) {
        this.kafka = kafka;
        this.config = config;
        this.transactionalId = config.sweep().transactionalIdPrefix() + UUID.randomUUID();
    }

    /** Completes once the transaction holding every request committed; fails when it did not. */
    public Uni<Void> publish(List<RunRequested> requests) {
        return Uni.createFrom().completionStage(() -> CompletableFuture.runAsync(() -> send(requests), thread));
    }

    private void send(List<RunRequested> requests) {
        KafkaProducer<String, String> p = producer();
        try {
            p.beginTransaction();
            for (RunRequested request : requests) {
                p.send(new ProducerRecord<>(Topics.RUN_REQUESTS, request.runId(), ContractJson.write(request)));
            }
            // flushes, and fails when any send failed
            p.commitTransaction();
        } catch (RuntimeException e) {
            LOG.warnf("sweep transaction of %d runs failed: %s", requests.size(), e.getMessage());
            discard();
            throw e;
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            KafkaProducer<String, String> p = new KafkaProducer<>(producerConfig());
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    Map<String, Object> producerConfig() {
        long timeout = config.sweep().kafkaTimeout().toMillis();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // give up quickly when the broker is away, so the sweep answers 503 (delivery >= linger + request)
        // (as strings: Kafka wants an int for some of these and a long for others)
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout + 1000));
        return settings;
    }

    /** Closes the producer after a failure; the next sweep makes a new one. */
    private void discard() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing the sweep producer: %s", e.getMessage());
            }
            producer = null;
        }
    }

    @PreDestroy
    void close() {
        thread.submit(this::closeProducer);
        thread.shutdown();
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }
}
