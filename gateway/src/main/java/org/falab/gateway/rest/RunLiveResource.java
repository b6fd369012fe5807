package org.falab.gateway.rest;

import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.auth.Callers;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.mapping.RunMapper;
import org.falab.gateway.registry.Run;
import org.falab.gateway.service.RunService;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;

/**
 * A run's view as it changes, as server-sent events: the web page's live curves. Each event is the whole
 * {@link RunLive}; the first is sent at once (a late client is complete), then one whenever a record reached the run
 * or its state changed, at most one per {@code falab.gateway.live-interval} (records that arrive together are sent
 * as one event). The stream stays open after the run ends: analysis results of its last probes come after it.
 */
@Path(RunResource.PATH)
@Tag(name = "runs")
public class RunLiveResource {

    private final RunService service;
    private final RunMapper runMapper;
    private final Callers callers;
    private final Vertx vertx;
    private final Duration interval;

    public RunLiveResource(RunService service, RunMapper runMapper, Callers callers, Vertx vertx,
            GatewayConfig config) {
        this.service = service;
        this.runMapper = runMapper;
        this.callers = callers;
        this.vertx = vertx;
        this.interval = config.liveInterval();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A run's view as server-sent events", description = "Each event's data is "
            + "{run: the answer of GET /api/v1/runs/{id}, metrics: [{step, epoch, trainLoss, testAccuracy, time}]}; "
            + "the first comes at once, then one per change. Read it with fetch (headers can be sent) or "
            + "EventSource.")
    @APIResponse(responseCode = "404", description = "Unknown run id, or a run of a project the caller is not in",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<RunLive> events(@PathParam("id") String id) {
        // the caller is read on the request's thread: the token is not there for the timer's checks
        Caller caller = callers.current();
        service.get(id, caller);  // 404 (unknown, or not the caller's to read) before the stream starts
        return Multi.createFrom().emitter(emitter -> {
            long[] sent = {Long.MIN_VALUE};
            Object[] sentState = {null};
            Runnable check = () -> {
                long version = service.version(id);
                Run run = service.get(id, caller);
                // the state also moves with the clock alone (STALLED), without a new record
                if (version != sent[0] || run.state() != sentState[0]) {
                    sent[0] = version;
                    sentState[0] = run.state();
                    emitter.emit(new RunLive(runMapper.toResponse(run), service.metricHistory(id, caller)));
                }
            };
            check.run();
            long timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), tick -> {
                try {
                    check.run();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
