package org.falab.gateway.rest;

import java.net.URI;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.mapping.RunMapper;
import org.falab.gateway.service.RunService;

import io.smallrye.mutiny.Uni;

/** Runs: submit one, look at one, list them. Thin: the service and the mappers do the work. */
@Path(RunResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {

    static final String PATH = "/api/v1/runs";

    private final RunService service;
    private final RunMapper runMapper;

    public RunResource(RunService service, RunMapper runMapper) {
        this.service = service;
        this.runMapper = runMapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a run", description = "Validates the spec, fills in defaults and publishes a "
            + "RunRequested to falab.run-requests; answers once Kafka acknowledged it. Only dataset and method are "
            + "required; every other field has the default its schema shows.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RunSpec.class)))
    @APIResponse(responseCode = "202", description = "Accepted and queued",
            content = @Content(schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid spec; errors names each bad field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(String body) {
        // the service reads the body by the contract, so that every bad field is named and counted
        return service.submit(body)
                .map(request -> Response.accepted(runMapper.toAccepted(request))
                        .location(URI.create(PATH + "/" + request.runId()))
                        .build());
    }

    @GET
    @Operation(summary = "List runs, newest first")
    public List<RunSummary> list(@QueryParam("limit") @Min(1) @Max(10_000) Integer limit) {
        return service.list(limit).stream().map(runMapper::toSummary).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One run: spec, state, progress, metrics, checkpoints, snapshots, analysis results")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunResponse get(@PathParam("id") String id) {
        return runMapper.toResponse(service.get(id));
    }

    @GET
    @Path("{id}/analysis")
    @Operation(summary = "The analysis results of one run received so far")
    @APIResponse(responseCode = "404", description = "Unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RunResponse.AnalysisView> analysis(@PathParam("id") String id) {
        return runMapper.toAnalysis(service.get(id));
    }
}
