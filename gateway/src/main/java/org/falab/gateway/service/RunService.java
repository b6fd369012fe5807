package org.falab.gateway.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.events.RunRequested;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.spec.RunSpecChecks;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.auth.ProjectField;
import org.falab.gateway.auth.ProjectForbiddenException;
import org.falab.gateway.auth.Quota;
import org.falab.gateway.auth.QuotaExceededException;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.messaging.RunRequestPublisher;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
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
    private final Validator validator;
    private final IdempotentSubmissions idempotent;
    private final Quota quota;

    public RunService(RunRequestPublisher publisher, RunRegistry registry, GatewayMetrics metrics,
            GatewayConfig config, Validator validator, IdempotentSubmissions idempotent, Quota quota) {
        this.quota = quota;
        this.publisher = publisher;
        this.registry = registry;
        this.metrics = metrics;
        this.config = config;
        this.validator = validator;
        this.idempotent = idempotent;
    }

    /**
     * Reads a run spec from a request body by the contract ({@link RunSpecChecks}: JSON types, unknown fields,
     * bounds, combination rules; the defaults filled in), publishes it as a RunRequested and, once Kafka
     * acknowledged it, records the run as QUEUED (so a GET right after the 202 finds it even before the replay
     * consumer has read the record back). A spec that cannot train is counted and thrown as
     * {@link InvalidSpecException} naming every field; when Kafka does not acknowledge within the publish timeout,
     * {@link BrokerUnavailableException} and the run is not recorded.
     *
     * <p>With an idempotency key, a key seen before with the same body answers the run it created (replayed),
     * with another body {@link IdempotencyKeyReusedException}; see {@link IdempotentSubmissions}.
     *
     * <p>The run belongs to the caller and to the body's {@code project} ({@link ProjectField}), which must be one
     * the caller submits to ({@link ProjectForbiddenException}); a caller at their quota is refused
     * ({@link QuotaExceededException}).
     *
     * @param body        the request body's bytes (UTF-8 JSON)
     * @param idempotency the request's key and body hash, or null
     */
    public Uni<IdempotentSubmissions.Outcome> submit(byte[] body, IdempotentRequest idempotency, Caller caller) {
        if (idempotency == null) {
            return Uni.createFrom().deferred(() -> create(body, null, caller))
                    .map(id -> new IdempotentSubmissions.Outcome(id, false));
        }
        return idempotent.submit("runs", idempotency, () -> registry.runForKey(idempotency.key()),
                () -> create(body, idempotency, caller))
                .invoke(outcome -> {
                    if (outcome.replayed()) {
                        metrics.idempotentReplay("runs");
                    }
                });
    }

    private Uni<String> create(byte[] body, IdempotentRequest idempotency, Caller caller) {
        JsonNode tree = readTree(RequestBodies.utf8(body));
        String project = ProjectField.take(tree);
        if (!caller.submitsTo(project)) {
            throw new ProjectForbiddenException(project);
        }
        RunSpec spec = read(tree);
        quota.check(caller, 1);
        RunRequested request = new RunRequested(newRunId(), spec, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                null, null, idempotency == null ? null : idempotency.key(),
                idempotency == null ? null : idempotency.requestHash(), caller.user(), project);
        return publish(request).map(RunRequested::runId);
    }

    /** The JSON of a request body, or a counted {@link InvalidSpecException}. */
    private JsonNode readTree(String body) {
        try {
            return ContractJson.readTree(body);
        } catch (ContractViolationException e) {
            metrics.runRejected();
            throw new InvalidSpecException(InvalidSpecException.countOf(e.violations(), ""), e.violations());
        }
    }

    /** The spec of a request body, or a counted {@link InvalidSpecException}. */
    private RunSpec read(JsonNode body) {
        try {
            return RunSpecChecks.read(body, validator);
        } catch (ContractViolationException e) {
            metrics.runRejected();
            throw new InvalidSpecException(InvalidSpecException.countOf(e.violations(), ""), e.violations());
        }
    }

    /** Publishes a RunRequested whose spec was checked already, then records it (see {@link #submit}). */
    public Uni<RunRequested> publish(RunRequested request) {
        return publisher.publish(request)
                .ifNoItem().after(config.publishTimeout())
                .failWith(() -> new BrokerUnavailableException(
                        "Kafka did not acknowledge the run request within " + config.publishTimeout()
                        + "; the run was not accepted", null))
                .onFailure(e -> !(e instanceof BrokerUnavailableException))
                .transform(e -> new BrokerUnavailableException(
                        "Kafka did not accept the run request; the run was not accepted", e))
                .onFailure().invoke(e -> LOG.warnf("run %s not accepted: %s", request.runId(), rootMessage(e)))
                .invoke(() -> {
                    registry.onRunRequested(request);
                    metrics.runSubmitted();
                    LOG.infof("run %s queued", request.runId());
                })
                .replaceWith(request);
    }

    /** A run the caller may read; any other id is {@link RunNotFoundException}, as an unknown one is. */
    public Run get(String id, Caller caller) {
        return registry.find(id).filter(run -> caller.reads(run.project()))
                .orElseThrow(() -> new RunNotFoundException(id));
    }

    public int defaultListLimit() {
        return config.listLimit();
    }

    /** The newest runs of the caller's projects. */
    public List<Run> list(Integer limit, Caller caller) {
        return registry.list(limit == null ? config.listLimit() : limit, caller::reads);
    }

    /**
     * A page of the run table (see {@link RunQuery}) over the runs of the caller's projects, read without the runs'
     * per-step series.
     */
    public RunQuery.Page query(RunQuery query, Caller caller) {
        return query.apply(registry.listWithoutSeries().stream().filter(run -> caller.reads(run.project())).toList());
    }

    /** The train loss and test accuracy by step of a run the caller may read (else {@link RunNotFoundException}). */
    public List<Run.MetricPoint> metricHistory(String id, Caller caller) {
        get(id, caller);
        return registry.metricHistory(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    /** See {@link RunRegistry#version(String)}. */
    public long version(String id) {
        return registry.version(id);
    }

    public String newRunId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return config.runIdPrefix() + HexFormat.of().formatHex(bytes);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
