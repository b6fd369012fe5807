package org.falab.gateway.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.gateway.RunSpec;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.mapping.RunSpecRules;
import org.falab.gateway.messaging.RunRequestPublisher;
import org.falab.gateway.messaging.RunRequested;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.rest.Problem;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/** Accepts runs (publish, then record) and answers questions about them from the registry. */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunRequestPublisher publisher;
    private final RunRegistry registry;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    public RunService(RunRequestPublisher publisher, RunRegistry registry, GatewayMetrics metrics,
            GatewayConfig config) {
        this.publisher = publisher;
        this.registry = registry;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Publishes a RunRequested for the resolved spec and, once Kafka acknowledged it, records the run as QUEUED
     * (so a GET right after the 202 finds it even before the replay consumer has read the record back).
     * Fails with {@link BrokerUnavailableException} when Kafka does not acknowledge within the publish timeout;
     * the run is then not recorded.
     */
    public Uni<RunRequested> submit(RunSpec spec) {
        List<Problem.FieldError> errors = RunSpecRules.check(spec);
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors.size() == 1 ? "1 field is invalid." : errors.size()
                    + " fields are invalid.", errors);
        }
        return publish(new RunRequested(newRunId(), spec, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    }

    /** Publishes a RunRequested whose spec was checked already, then records it (see {@link #submit}). */
    public Uni<RunRequested> publish(RunRequested request) {
        return publisher.publish(request)
                .ifNoItem().after(config.publishTimeout())
                .failWith(() -> new BrokerUnavailableException(
                        "Kafka did not acknowledge the run request within " + config.publishTimeout(), null))
                .onFailure(e -> !(e instanceof BrokerUnavailableException))
                .transform(e -> new BrokerUnavailableException("Kafka did not accept the run request", e))
                .onFailure().invoke(e -> LOG.warnf("run %s not accepted: %s", request.runId(), rootMessage(e)))
                .invoke(() -> {
                    registry.onRunRequested(request);
                    metrics.runSubmitted();
                    LOG.infof("run %s queued", request.runId());
                })
                .replaceWith(request);
    }

    public Run get(String id) {
        return registry.find(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    public List<Run> list(Integer limit) {
        return registry.list(limit == null ? config.listLimit() : limit);
    }

    public String newRunId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return config.runIdPrefix() + HexFormat.of().formatHex(bytes);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
