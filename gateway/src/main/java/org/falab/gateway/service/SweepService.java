package org.falab.gateway.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.events.RunRequested;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.FieldViolation;
import org.falab.contracts.spec.RunSpec;
import org.falab.contracts.spec.RunSpecChecks;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.auth.ProjectField;
import org.falab.gateway.auth.ProjectForbiddenException;
import org.falab.gateway.auth.Quota;
import org.falab.gateway.auth.QuotaExceededException;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.messaging.SweepRequestPublisher;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.sweep.SweepAggregator;
import org.falab.gateway.sweep.SweepPlanner;
import org.falab.gateway.sweep.SweepView;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Sweeps: expands a sweep into cells, checks every cell's spec exactly like {@code POST /api/v1/runs} (JSON types
 * and unknown fields, field bounds, combination rules), then publishes one RunRequested per cell with the sweep id
 * and the cell, all in one Kafka transaction, so any gateway rebuilds the whole sweep (or nothing of it) from
 * falab.run-requests. Views are folded from the registry.
 */
@ApplicationScoped
public class SweepService {

    private static final Logger LOG = Logger.getLogger(SweepService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A sweep with more broken cells than this names only the first ones. */
    private static final int MAX_ERRORS = 50;

    /** What a sweep submission created: the sweep id and its runs with their cells. */
    public record Accepted(String id, List<RunRequested> runs) {
    }

    private final RunService runs;
    private final SweepRequestPublisher publisher;
    private final RunRegistry registry;
    private final Validator validator;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final IdempotentSubmissions idempotent;
    private final Quota quota;

    public SweepService(RunService runs, SweepRequestPublisher publisher, RunRegistry registry, Validator validator,
            GatewayMetrics metrics, GatewayConfig config, IdempotentSubmissions idempotent, Quota quota) {
        this.quota = quota;
        this.runs = runs;
        this.publisher = publisher;
        this.registry = registry;
        this.validator = validator;
        this.metrics = metrics;
        this.config = config;
        this.idempotent = idempotent;
    }

    /**
     * Validates every cell (throws {@link InvalidSpecException} naming {@code cells[i].field} with the cell's
     * values) and publishes one run per cell in one transaction; the Uni completes with the sweep id when the
     * transaction committed, and then the registry has every run. When it did not commit, no run of the sweep is
     * visible to anyone reading committed records, nothing is recorded, and the answer is 503.
     *
     * <p>With an idempotency key: as for runs ({@link IdempotentSubmissions}); every run of the sweep carries the
     * key and the body hash.
     *
     * <p>Every run belongs to the caller and to the body's {@code project} (next to base, variants and grid), as for
     * runs; the quota counts every cell ({@link QuotaExceededException} when they do not all fit).
     */
    public Uni<IdempotentSubmissions.Outcome> submit(byte[] body, IdempotentRequest idempotency, Caller caller) {
        if (idempotency == null) {
            return Uni.createFrom().deferred(() -> create(body, null, caller))
                    .map(id -> new IdempotentSubmissions.Outcome(id, false));
        }
        return idempotent.submit("sweeps", idempotency, () -> registry.sweepForKey(idempotency.key()),
                () -> create(body, idempotency, caller))
                .invoke(outcome -> {
                    if (outcome.replayed()) {
                        metrics.idempotentReplay("sweeps");
                    }
                });
    }

    private Uni<String> create(byte[] body, IdempotentRequest idempotency, Caller caller) {
        String json = RequestBodies.utf8(body);
        List<SweepPlanner.Cell> cells;
        String project;
        try {
            JsonNode tree = ContractJson.readTree(json);
            project = ProjectField.take(tree);
            if (!caller.submitsTo(project)) {
                throw new ProjectForbiddenException(project);
            }
            cells = SweepPlanner.plan(tree, config.sweep().maxRuns());
        } catch (ContractViolationException e) {
            throw rejected(new InvalidSpecException("The request body is not valid JSON.", e.violations()));
        } catch (SweepPlanner.SweepShapeException e) {
            throw rejected(new InvalidSpecException(e.getMessage(), e.errors()));
        }
        List<RunSpec> specs = new ArrayList<>();
        List<FieldViolation> errors = new ArrayList<>();
        for (int i = 0; i < cells.size() && errors.size() < MAX_ERRORS; i++) {
            specs.add(check(i, cells.get(i), errors));
        }
        if (!errors.isEmpty()) {
            List<FieldViolation> named = errors.subList(0, Math.min(errors.size(), MAX_ERRORS));
            throw rejected(new InvalidSpecException(InvalidSpecException.countOf(errors, " of the sweep's cells"),
                    named));
        }
        quota.check(caller, cells.size());
        String sweepId = config.sweep().idPrefix() + HexFormat.of().formatHex(randomBytes());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<RunRequested> requests = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            // stamped 1 ms apart in cell order: a gateway that rebuilds the sweep from Kafka (where the runs sit on
            // different partitions) orders its runs by submittedAt, so the cell order survives a replay
            requests.add(new RunRequested(runs.newRunId(), specs.get(i), now.plusMillis(i), sweepId,
                    cells.get(i).values(), idempotency == null ? null : idempotency.key(),
                    idempotency == null ? null : idempotency.requestHash(), caller.user(), project));
        }
        return publisher.publish(requests)
                .ifNoItem().after(config.publishTimeout())
                .failWith(() -> new BrokerUnavailableException("Kafka did not commit the sweep's transaction within "
                        + config.publishTimeout() + "; no run of the sweep was accepted", null))
                .onFailure(e -> !(e instanceof BrokerUnavailableException))
                .transform(e -> new BrokerUnavailableException(
                        "Kafka did not commit the sweep's transaction; no run of the sweep was accepted", e))
                .onFailure().invoke(e -> LOG.warnf("sweep %s not accepted: %s", sweepId,
                        RunService.rootMessage(e)))
                .invoke(() -> {
                    requests.forEach(registry::onRunRequested);
                    requests.forEach(r -> metrics.runSubmitted());
                    LOG.infof("sweep %s queued: %d runs", sweepId, requests.size());
                })
                .replaceWith(sweepId);
    }

    /**
     * The runs of a sweep the caller may read, with their cells, in cell order; {@link SweepNotFoundException} when
     * none is known or it is of a project the caller does not read (the same answer: no probing of ids).
     */
    public List<Run> runs(String sweepId, Caller caller) {
        List<Run> members = registry.sweep(sweepId);
        if (members.isEmpty() || !caller.reads(members.get(0).project())) {
            throw new SweepNotFoundException(sweepId);
        }
        return members;
    }

    public SweepView get(String sweepId, Caller caller) {
        return SweepAggregator.aggregate(sweepId, runs(sweepId, caller));
    }

    /** The sweeps of the caller's projects, newest first. */
    public List<SweepView.Summary> list(Caller caller) {
        return registry.sweepIds(caller::reads).stream()
                .map(id -> SweepAggregator.summary(id, registry.sweep(id))).toList();
    }

    /** The resolved spec of cell i (its defaults filled in), or null after adding its errors. */
    private RunSpec check(int i, SweepPlanner.Cell cell, List<FieldViolation> errors) {
        String prefix = "cells[" + i + "].";
        String where = " (cell " + i + ": " + cell.values() + ")";
        try {
            return RunSpecChecks.read(cell.spec(), validator);
        } catch (ContractViolationException e) {
            for (FieldViolation v : e.violations()) {
                errors.add(new FieldViolation(prefix + (v.field().equals("body") ? "spec" : v.field()),
                        v.message() + where));
            }
            return null;
        }
    }

    private InvalidSpecException rejected(InvalidSpecException e) {
        metrics.runRejected();
        return e;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
