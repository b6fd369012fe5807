package org.falab.analysis.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.analysis.service.AnalysisService;

/** Read-only view of the results this instance has computed. The durable view is the gateway's. */
@Path("/api/v1/analysis")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analysis")
public class AnalysisResource {

    private final AnalysisService service;

    public AnalysisResource(AnalysisService service) {
        this.service = service;
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "Effective-rank results of a run received so far, ordered by step then layerIndex",
            description = "In memory and bounded, for this instance only; the gateway serves the durable view "
                    + "(it replays falab.analysis-results).")
    @APIResponse(responseCode = "200", description = "Results of the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AnalysisResult.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No results for this run on this instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<AnalysisResult> results(@PathParam("runId") String runId) {
        return service.resultsFor(runId).orElseThrow(() -> new RunNotFoundException(runId));
    }

    @GET
    @Path("/{runId}/alignment")
    @Operation(summary = "Alignment results of a run received so far, ordered by step then layerIndex",
            description = "One per (step, layer) with a complete pair of matrices: the angle between the rule's "
                    + "error signal and the BP one, the angle between W and B and |B|_F/|W|_F, in degrees; null "
                    + "where a figure does not apply. An empty list for a known run without pairs (e.g. BP). "
                    + "In memory and bounded, for this instance only.")
    @APIResponse(responseCode = "200", description = "Alignment results of the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlignmentResult.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No results for this run on this instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<AlignmentResult> alignment(@PathParam("runId") String runId) {
        return service.alignmentsFor(runId).orElseThrow(() -> new RunNotFoundException(runId));
    }
}
