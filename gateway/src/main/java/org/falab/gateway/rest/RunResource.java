package org.falab.gateway.rest;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.contracts.auth.Claims;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.auth.Caller;
import org.falab.gateway.auth.Callers;
import org.falab.gateway.mapping.RunMapper;
import org.falab.gateway.service.CancelService;
import org.falab.gateway.service.IdempotentRequest;
import org.falab.gateway.service.RunQuery;
import org.falab.gateway.service.RunService;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Runs: submit one, look at one, list them, cancel one. Thin: the services and the mappers do the work. */
@Path(RunResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
@APIResponse(responseCode = "401", description = "No bearer token, or one that is expired, badly signed or of "
        + "another issuer", content = @Content(mediaType = Problem.MEDIA_TYPE,
        schema = @Schema(implementation = Problem.class)))
public class RunResource {

    static final String PATH = "/api/v1/runs";
    /** How many runs matched a listing's filters, of which the answer is one page. */
    static final String TOTAL_COUNT = "X-Total-Count";

    private final RunService service;
    private final CancelService cancels;
    private final RunMapper runMapper;
    private final Callers callers;

    public RunResource(RunService service, CancelService cancels, RunMapper runMapper, Callers callers) {
        this.callers = callers;
        this.service = service;
        this.cancels = cancels;
        this.runMapper = runMapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Claims.RESEARCHER, Claims.ADMIN})
    @Operation(summary = "Submit a run", description = "Validates the spec, fills in defaults and publishes a "
            + "RunRequested to falab.run-requests; answers once Kafka acknowledged it. Only dataset and method are "
            + "required; every other field has the default its schema shows. With an Idempotency-Key, a retry "
            + "with the same key and body answers 200 with the run the first request created, even from another "
            + "gateway or after a restart. The optional field project (default \"default\") says which project "
            + "the run belongs to: one of the token's projects; the token's subject owns it.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RunSpec.class)))
    @APIResponse(responseCode = "202", description = "Accepted and queued",
            content = @Content(schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "200", description = "A retry: the run an earlier request with the same "
            + "Idempotency-Key and body created, as it is now",
            content = @Content(schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid spec, body or Idempotency-Key; errors names each",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A viewer's token, or a project not among the token's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than quarkus.http.limits.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Content-Type missing or not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The caller has falab.quota.max-active-runs runs queued or "
            + "running; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Parameter(in = ParameterIn.HEADER, name = IdempotentRequest.HEADER, description = "Any unique string of 1 "
            + "to 255 printable ASCII characters (a UUID): retries with it create the run once",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    maxLength = IdempotentRequest.MAX_LENGTH))
    public Uni<Response> submit(@Context HttpServerRequest request, byte[] body) {
        // @Consumes lets a request without Content-Type through
        JsonMediaType.require(request.getHeader(HttpHeaders.CONTENT_TYPE));
        // every value as sent (JAX-RS drops an empty one, which must be a 400, not "no key")
        List<String> idempotencyKey = request.headers().getAll(IdempotentRequest.HEADER);
        Caller caller = callers.current();
        // the service reads the body by the contract, so that every bad field is named and counted
        return Uni.createFrom().deferred(() -> service.submit(body, IdempotentRequest.of(idempotencyKey, body),
                        caller))
                .map(outcome -> Response.status(outcome.replayed() ? 200 : 202)
                        .entity(runMapper.toAccepted(service.get(outcome.id(), caller)))
                        .location(URI.create(PATH + "/" + outcome.id()))
                        .build());
    }

    @GET
    @Operation(summary = "List runs of the caller's projects, newest first", description = "Without parameters the newest "
            + "falab.gateway.list-limit runs. Filters (exact, case-insensitive): state, method, optimizer, norm, "
            + "model, dataset, sweep; q: part of the run or sweep id. sort: FIELD or FIELD,asc|desc with FIELD one "
            + "of submitted, updated, state, method, optimizer, norm, model, dataset, progress, accuracy. offset "
            + "and limit page the result; the header X-Total-Count says how many runs matched.")
    @APIResponse(responseCode = "200", description = "The page of runs", content = @Content(schema = @Schema(
            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
            implementation = RunSummary.class)))
    @APIResponse(responseCode = "400", description = "A bad limit, offset, sort or filter, named in errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("limit") @Min(1) @Max(10_000) Integer limit,
            @QueryParam("offset") @Min(0) Integer offset, @QueryParam("sort") String sort,
            @QueryParam("q") String q, @QueryParam("state") String state, @QueryParam("method") String method,
            @QueryParam("optimizer") String optimizer, @QueryParam("norm") String norm,
            @QueryParam("model") String model, @QueryParam("dataset") String dataset,
            @QueryParam("sweep") String sweep) {
        Map<String, String> filters = new HashMap<>();
        filters.put("state", state);
        filters.put("method", method);
        filters.put("optimizer", optimizer);
        filters.put("norm", norm);
        filters.put("model", model);
        filters.put("dataset", dataset);
        filters.put("sweep", sweep);
        RunQuery.Page page = service.query(new RunQuery(filters, q, sort, offset == null ? 0 : offset,
                limit == null ? service.defaultListLimit() : limit), callers.current());
        return Response.ok(page.runs().stream().map(runMapper::toSummary).toList())
                .header(TOTAL_COUNT, page.total()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One run: spec, state, attempt, progress, metrics, checkpoints, snapshots, analysis results")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown run id, or a run of a project the caller does not read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunResponse get(@PathParam("id") String id) {
        return runMapper.toResponse(service.get(id, callers.current()));
    }

    @GET
    @Path("{id}/analysis")
    @Operation(summary = "The analysis results of one run received so far")
    @APIResponse(responseCode = "404", description = "Unknown run id, or a run of a project the caller does not read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RunResponse.AnalysisView> analysis(@PathParam("id") String id) {
        return runMapper.toAnalysis(service.get(id, callers.current()));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Claims.RESEARCHER, Claims.ADMIN})
    @Operation(summary = "Cancel a run", description = "Publishes a RunCancellation to falab.run-cancellations "
            + "(trainers read it) and answers with the run once Kafka acknowledged it: CANCELLED at once if no "
            + "trainer had started it, else CANCELLING until its trainer's CANCELLED event. Cancelling again "
            + "while it is CANCELLING answers 202 again. The body is optional.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CancelRequest.class)))
    @APIResponse(responseCode = "202", description = "Cancelled (CANCELLED) or being cancelled (CANCELLING)",
            content = @Content(schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "400", description = "Not a run id, or a malformed body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A viewer's token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown run id, or another user's run (a researcher cancels "
            + "only their own)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The run is already SUCCEEDED, FAILED or CANCELLED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the cancellation",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        Caller caller = callers.current();
        return Uni.createFrom().deferred(() -> cancels.cancelRun(id, CancelRequest.reasonOf(body, contentType),
                        caller))
                .map(run -> Response.accepted(runMapper.toResponse(run)).build());
    }
}
