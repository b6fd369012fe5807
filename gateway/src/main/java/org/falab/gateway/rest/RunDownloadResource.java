package org.falab.gateway.rest;

import java.time.Clock;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.gateway.auth.Callers;
import org.falab.gateway.config.GatewayConfig;
import org.falab.gateway.service.InvalidRequestException;
import org.falab.gateway.service.RunService;
import org.falab.storage.ObjectStore;

/**
 * Download links for a run's checkpoints and snapshots: a short-lived presigned GET URL of the object store, signed
 * with the gateway's read-only identity, so the bytes go from the store to the browser without passing through the
 * gateway. Only keys of the run's own checkpoint and snapshot prefixes ({@link ObjectKeys#downloadKeyProblem}), only
 * for a run the caller may read (else 404, as for every other view of it).
 */
@Path(RunResource.PATH)
@Tag(name = "runs")
public class RunDownloadResource {

    /** The answer: where to GET the object, until when. */
    public record DownloadLink(String url, Instant expiresAt) {
    }

    @Inject
    RunService service;
    @Inject
    Callers callers;
    /** Signs with the gateway's read-only identity ({@code falab.storage.*}). */
    @Inject
    ObjectStore store;
    @Inject
    GatewayConfig config;

    @GET
    @Path("{id}/downloads")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A presigned download URL for one of the run's checkpoints or snapshots", description =
            "key: under runs/{id}/checkpoints/ or runs/{id}/snapshots/; the URL needs no token until expiresAt")
    @APIResponse(responseCode = "400", description = "key is not one of the run's checkpoints or snapshots",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown run id, or a run the caller may not read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DownloadLink link(@PathParam("id") String id, @QueryParam("key") String key) {
        service.get(id, callers.current());
        ObjectKeys.downloadKeyProblem(id, key).ifPresent(problem -> {
            throw new InvalidRequestException("key", problem);
        });
        Instant expiresAt = Clock.systemUTC().instant().plus(config.downloadUrlTtl());
        return new DownloadLink(store.presignedGet(key, config.downloadUrlTtl()), expiresAt);
    }
}
