package org.falab.gateway.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunRequested;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.messaging.RunCancellationPublisher;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.falab.gateway.sweep.SweepAggregator;
import org.falab.gateway.sweep.SweepView;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Cancels runs: publishes a RunCancellation (trainers read them: a queued run is never started, a running one stops
 * within a step and ends CANCELLED) and, once Kafka acknowledged it, records it, so the answer already shows the run
 * CANCELLED (no trainer had it) or CANCELLING (until its trainer's CANCELLED event).
 *
 * <p>Idempotent: a run whose cancellation was already recorded is answered as it is, without a second record.
 */
@ApplicationScoped
public class CancelService {

    private static final Logger LOG = Logger.getLogger(CancelService.class);
    private static final Pattern RUN_ID = Pattern.compile(RunRequested.RUN_ID_PATTERN);

    private final RunCancellationPublisher publisher;
    private final RunRegistry registry;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;

    public CancelService(RunCancellationPublisher publisher, RunRegistry registry, GatewayConfig config,
            GatewayMetrics metrics) {
        this.publisher = publisher;
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Cancels one run.
     *
     * @param reason why, shown with the trainer's CANCELLED event; null for a default
     * @throws InvalidRequestException  naming {@code id} when it cannot be a run id
     * @throws RunNotFoundException     when no such run is known, or it is not the caller's to cancel (another
     *                                  user's run answers as an unknown one: no probing of ids)
     * @throws NotCancellableException when the run is SUCCEEDED, FAILED or CANCELLED
     */
    public Uni<Run> cancelRun(String id, String reason, Caller caller) {
        return Uni.createFrom().deferred(() -> {
            if (id == null || !RUN_ID.matcher(id).matches()) {
                throw new InvalidRequestException("id", "must match " + RunRequested.RUN_ID_PATTERN);
            }
            Run run = registry.find(id).filter(caller::changes).orElseThrow(() -> new RunNotFoundException(id));
            if (run.state().isTerminal()) {
                throw new NotCancellableException("run " + id + " is already " + run.state()
                        + "; only a QUEUED, RUNNING, STALLED or CANCELLING run can be cancelled");
            }
            if (run.cancelRequestedAt() != null) {
                return Uni.createFrom().item(run);
            }
            return publish(run, reason == null ? "cancelled through the gateway API" : reason)
                    .map(ignored -> registry.find(id).orElseThrow());
        });
    }

    /**
     * Cancels every run of a sweep that is not finished yet.
     *
     * @throws SweepNotFoundException  when no run of the sweep is known, or it is not the caller's to cancel
     * @throws NotCancellableException when every run of it is SUCCEEDED, FAILED or CANCELLED
     */
    public Uni<SweepView> cancelSweep(String sweepId, String reason, Caller caller) {
        return Uni.createFrom().deferred(() -> {
            List<Run> members = registry.sweep(sweepId);
            // one submission made every run of a sweep: one owner, one project
            if (members.isEmpty() || !caller.changes(members.get(0))) {
                throw new SweepNotFoundException(sweepId);
            }
            List<Run> open = members.stream().filter(r -> !r.state().isTerminal()).toList();
            if (open.isEmpty()) {
                throw new NotCancellableException("every run of sweep " + sweepId
                        + " is already SUCCEEDED, FAILED or CANCELLED");
            }
            String why = reason == null ? "sweep " + sweepId + " cancelled through the gateway API" : reason;
            List<Uni<Void>> acks = open.stream().filter(r -> r.cancelRequestedAt() == null)
                    .map(r -> publish(r, why)).toList();
            Uni<Void> all = acks.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(acks).andCollectFailures()
                            .onFailure().transform(e -> e instanceof BrokerUnavailableException ? e
                                    : new BrokerUnavailableException("Kafka did not accept every cancellation of "
                                    + "the sweep; the ones it accepted stand, cancel again to finish", e))
                            .replaceWithVoid();
            return all.map(ignored -> SweepAggregator.aggregate(sweepId, registry.sweep(sweepId)));
        });
    }

    private Uni<Void> publish(Run run, String reason) {
        RunCancellation cancellation = new RunCancellation(run.id(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), run.sweepId(), reason);
        return publisher.publish(cancellation)
                .ifNoItem().after(config.publishTimeout())
                .failWith(() -> new BrokerUnavailableException(
                        "Kafka did not acknowledge the cancellation within " + config.publishTimeout(), null))
                .onFailure(e -> !(e instanceof BrokerUnavailableException))
                .transform(e -> new BrokerUnavailableException("Kafka did not accept the cancellation", e))
                .onFailure().invoke(e -> LOG.warnf("cancellation of %s not accepted: %s", run.id(),
                        RunService.rootMessage(e)))
                .invoke(() -> {
                    registry.onCancellation(cancellation);
                    metrics.cancelRequested();
                    LOG.infof("run %s cancelled (%s)", run.id(), run.state());
                });
    }
}
