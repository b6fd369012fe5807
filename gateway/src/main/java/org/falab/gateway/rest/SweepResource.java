package org.falab.gateway.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.contracts.auth.Claims;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.auth.Callers;
import org.falab.gateway.registry.Run;
import org.falab.gateway.service.CancelService;
import org.falab.gateway.service.IdempotentRequest;
import org.falab.gateway.service.SweepService;
import org.falab.gateway.sweep.SweepTable;
import org.falab.gateway.sweep.SweepView;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Sweeps: one run per cell (variants x grid), followed and cancelled as a whole. Thin: the services do the work. */
@Path(SweepResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
@APIResponse(responseCode = "401", description = "No bearer token, or one that is expired, badly signed or of "
        + "another issuer", content = @Content(mediaType = Problem.MEDIA_TYPE,
        schema = @Schema(implementation = Problem.class)))
public class SweepResource {

    static final String PATH = "/api/v1/sweeps";

    /** Answer to a POST: the sweep id and each run with its cell. */
    public record SweepAccepted(String id, List<RunCell> runs) {

        public record RunCell(String id, Map<String, Object> cell) {
        }
    }

    private final SweepService service;
    private final CancelService cancels;
    private final Callers callers;

    public SweepResource(SweepService service, CancelService cancels, Callers callers) {
        this.callers = callers;
        this.service = service;
        this.cancels = cancels;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Claims.RESEARCHER, Claims.ADMIN})
    @Operation(summary = "Submit a sweep", description = "Body {base: run spec, variants: [partial specs] "
            + "(default [{}]), grid: {field: [values]}}: one run per variant x grid combination, each validated like "
            + "POST /api/v1/runs and published as a RunRequested with sweepId and cell, all in one Kafka "
            + "transaction (the whole sweep or nothing). With an Idempotency-Key, a retry with the same key and "
            + "body answers 200 with the sweep the first request created. The optional field project (next to base) "
            + "says which project its runs belong to, as for POST /api/v1/runs.")
    @APIResponse(responseCode = "202", description = "Accepted: every run is on Kafka",
            content = @Content(schema = @Schema(implementation = SweepAccepted.class)))
    @APIResponse(responseCode = "200", description = "A retry: the sweep an earlier request with the same "
            + "Idempotency-Key and body created",
            content = @Content(schema = @Schema(implementation = SweepAccepted.class)))
    @APIResponse(responseCode = "400", description = "A malformed sweep, too many cells, an invalid cell "
            + "(errors names cells[i].field), or a bad Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A viewer's token, or a project not among the token's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than quarkus.http.limits.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The sweep's cells would put the caller over "
            + "falab.quota.max-active-runs; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Content-Type missing or not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not commit the sweep; none of its runs exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(description = "{base, variants, grid}")))
    @Parameter(in = ParameterIn.HEADER, name = IdempotentRequest.HEADER, description = "Any unique string of 1 "
            + "to 255 printable ASCII characters (a UUID): retries with it create the sweep once",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    maxLength = IdempotentRequest.MAX_LENGTH))
    public Uni<Response> submit(@Context HttpServerRequest request, byte[] body) {
        // @Consumes lets a request without Content-Type through
        JsonMediaType.require(request.getHeader(HttpHeaders.CONTENT_TYPE));
        // every value as sent (JAX-RS drops an empty one, which must be a 400, not "no key")
        List<String> idempotencyKey = request.headers().getAll(IdempotentRequest.HEADER);
        Caller caller = callers.current();
        return Uni.createFrom().deferred(() -> service.submit(body, IdempotentRequest.of(idempotencyKey, body),
                        caller))
                .map(outcome -> Response.status(outcome.replayed() ? 200 : 202)
                        .entity(accepted(outcome.id(), service.runs(outcome.id(), caller)))
                        .location(URI.create(PATH + "/" + outcome.id()))
                        .build());
    }

    private static SweepAccepted accepted(String sweepId, List<Run> runs) {
        return new SweepAccepted(sweepId, runs.stream()
                .map(r -> new SweepAccepted.RunCell(r.id(), r.cell())).toList());
    }

    @GET
    @Operation(summary = "List sweeps of the caller's projects, newest first")
    public List<SweepView.Summary> list() {
        return service.list(callers.current());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One sweep: its runs and, per group of cells equal but for seed, test accuracy and "
            + "error-signal effective rank statistics")
    @APIResponse(responseCode = "200", description = "The sweep",
            content = @Content(schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "Unknown sweep id, or one of a project the caller does not read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SweepView get(@PathParam("id") String id) {
        return service.get(id, callers.current());
    }

    @GET
    @Path("{id}/table.csv")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(summary = "The sweep's table as CSV", description = "One row per group of cells equal but for "
            + "seed: the cell's fields, runs, finished, test_accuracy_mean/std/min/max/n, and per layer "
            + "error_signal_rank_LAYER_mean/std/n (the error-signal effective rank at each run's last probe)")
    @APIResponse(responseCode = "404", description = "Unknown sweep id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response tableCsv(@PathParam("id") String id) {
        SweepTable table = SweepTable.of(service.get(id, callers.current()));
        Csv csv = new Csv(table.columns());
        for (Map<String, Object> row : table.rows()) {
            csv.row(table.columns().stream().map(row::get).toArray());
        }
        return RunSeriesResource.attachment(csv, id + ".csv");
    }

    @GET
    @Path("{id}/table.json")
    @Operation(summary = "The sweep's table as JSON", description = "The rows of table.csv as objects, the "
            + "columns in the same order and with the same names (null where table.csv has an empty field)")
    @APIResponse(responseCode = "404", description = "Unknown sweep id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SweepTable tableJson(@PathParam("id") String id) {
        return SweepTable.of(service.get(id, callers.current()));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Claims.RESEARCHER, Claims.ADMIN})
    @Operation(summary = "Cancel a sweep", description = "Cancels every run of the sweep that is not SUCCEEDED, "
            + "FAILED or CANCELLED yet, as POST /api/v1/runs/{id}/cancel does, and answers with the sweep. The body "
            + "is optional.")
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = false, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CancelRequest.class)))
    @APIResponse(responseCode = "202", description = "Its open runs are CANCELLED or CANCELLING",
            content = @Content(schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "400", description = "A malformed body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A viewer's token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown sweep id, or another user's sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Every run of the sweep is already finished",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge every cancellation",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        Caller caller = callers.current();
        return Uni.createFrom().deferred(() -> cancels.cancelSweep(id, CancelRequest.reasonOf(body, contentType),
                        caller))
                .map(view -> Response.accepted(view).build());
    }
}
