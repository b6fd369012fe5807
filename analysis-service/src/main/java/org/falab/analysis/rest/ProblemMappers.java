package org.falab.analysis.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps exceptions of the resources to {@code application/problem+json} responses. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response runNotFound(RunNotFoundException e) {
        Problem problem = new Problem("https://falab.org/problems/run-not-found", "Run not found",
                Response.Status.NOT_FOUND.getStatusCode(),
                "This analysis instance has no results for run '" + e.runId() + "' (it keeps only what it "
                        + "computed since it started; the gateway has the durable view).");
        return Response.status(Response.Status.NOT_FOUND).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
