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
import org.falab.gateway.config.GatewayConfig;
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
 * and the cell, so any gateway rebuilds the sweep from falab.run-requests. Views are folded from the registry.
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
    private final RunRegistry registry;
    private final Validator validator;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    public SweepService(RunService runs, RunRegistry registry, Validator validator, GatewayMetrics metrics,
            GatewayConfig config) {
        this.runs = runs;
        this.registry = registry;
        this.validator = validator;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Validates every cell (throws {@link InvalidSpecException} naming {@code cells[i].field} with the cell's
     * values) and publishes one run per cell; the Uni completes when Kafka acknowledged all of them. When the
     * broker fails part-way, the runs it acknowledged stay published (and show in the sweep); the answer is 503.
     */
    public Uni<Accepted> submit(String json) {
        List<SweepPlanner.Cell> cells;
        try {
            JsonNode body = ContractJson.readTree(json);
            cells = SweepPlanner.plan(body, config.sweep().maxRuns());
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
        String sweepId = config.sweep().idPrefix() + HexFormat.of().formatHex(randomBytes());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<RunRequested> requests = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            // stamped 1 ms apart in cell order: a gateway that rebuilds the sweep from Kafka (where the runs sit on
            // different partitions) orders its runs by submittedAt, so the cell order survives a replay
            requests.add(new RunRequested(runs.newRunId(), specs.get(i), now.plusMillis(i), sweepId,
                    cells.get(i).values()));
        }
        List<Uni<RunRequested>> acks = requests.stream().map(runs::publish).toList();
        return Uni.join().all(acks).andCollectFailures()
                .onFailure().transform(e -> e instanceof BrokerUnavailableException ? e
                        : new BrokerUnavailableException("Kafka did not accept every run of the sweep", e))
                .invoke(() -> LOG.infof("sweep %s queued: %d runs", sweepId, requests.size()))
                .replaceWith(new Accepted(sweepId, requests));
    }

    public SweepView get(String sweepId) {
        List<Run> members = registry.sweep(sweepId);
        if (members.isEmpty()) {
            throw new SweepNotFoundException(sweepId);
        }
        return SweepAggregator.aggregate(sweepId, members);
    }

    public List<SweepView.Summary> list() {
        return registry.sweepIds().stream().map(id -> SweepAggregator.summary(id, registry.sweep(id))).toList();
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
