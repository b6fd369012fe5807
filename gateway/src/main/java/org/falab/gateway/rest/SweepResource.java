package org.falab.gateway.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.gateway.service.SweepService;
import org.falab.gateway.sweep.SweepView;

import io.smallrye.mutiny.Uni;

/** Sweeps: one run per cell (variants x grid), followed as a whole. Thin: SweepService does the work. */
@Path(SweepResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
public class SweepResource {

    static final String PATH = "/api/v1/sweeps";

    /** Answer to a POST: the sweep id and each run with its cell. */
    public record SweepAccepted(String id, List<RunCell> runs) {

        public record RunCell(String id, Map<String, Object> cell) {
        }
    }

    private final SweepService service;

    public SweepResource(SweepService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a sweep", description = "Body {base: run spec, variants: [partial specs] "
            + "(default [{}]), grid: {field: [values]}}: one run per variant x grid combination, each validated like "
            + "POST /api/v1/runs and published as a RunRequested with sweepId and cell.")
    @APIResponse(responseCode = "202", description = "Accepted: every run is on Kafka",
            content = @Content(schema = @Schema(implementation = SweepAccepted.class)))
    @APIResponse(responseCode = "400", description = "A malformed sweep, too many cells, or an invalid cell; "
            + "errors names cells[i].field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge every run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(description = "{base, variants, grid}")))
    public Uni<Response> submit(String body) {
        return service.submit(body).map(accepted -> Response.accepted(new SweepAccepted(accepted.id(),
                        accepted.runs().stream().map(r -> new SweepAccepted.RunCell(r.runId(), r.cell())).toList()))
                .location(URI.create(PATH + "/" + accepted.id()))
                .build());
    }

    @GET
    @Operation(summary = "List sweeps, newest first")
    public List<SweepView.Summary> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One sweep: its runs and, per group of cells equal but for seed, test accuracy and "
            + "error-signal effective rank statistics")
    @APIResponse(responseCode = "200", description = "The sweep",
            content = @Content(schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "Unknown sweep id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SweepView get(@PathParam("id") String id) {
        return service.get(id);
    }
}
