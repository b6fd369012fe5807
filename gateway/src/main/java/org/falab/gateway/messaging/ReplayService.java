package org.falab.gateway.messaging;

import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.service.GatewayMetrics;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;

/** Runs this gateway's {@link ReplayConsumer} from startup to shutdown, into the application's registry. */
@Startup
@ApplicationScoped
public class ReplayService {

    private final Map<String, Object> kafka;
    private final GatewayConfig config;
    private final ReplayListener listener;
    private final GatewayMetrics metrics;
    private ReplayConsumer consumer;

    public ReplayService(@Identifier("default-kafka-broker") Map<String, Object> kafka, GatewayConfig config,
            ReplayListener listener, GatewayMetrics metrics) {
        this.kafka = kafka;
        this.config = config;
        this.listener = listener;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        GatewayConfig.Replay replay = config.replay();
        consumer = new ReplayConsumer(new ReplayConsumer.Settings(kafka, replay.groupId(), replay.topics(),
                replay.pollTimeout(), replay.requestTimeout(), replay.retryBackoff()), listener::onRecord);
        metrics.replay(consumer.progress());
        consumer.start();
    }

    @PreDestroy
    void stop() {
        consumer.close();
    }

    public ReplayProgress progress() {
        return consumer.progress();
    }

    /** Records the replay applied so far. */
    public long applied() {
        return consumer.applied();
    }
}
