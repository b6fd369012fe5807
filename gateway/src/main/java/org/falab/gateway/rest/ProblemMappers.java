package org.falab.gateway.rest;

import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.falab.contracts.json.FieldViolation;
import org.falab.contracts.json.Violations;
import org.falab.gateway.service.BrokerUnavailableException;
import org.falab.gateway.service.IdempotencyKeyReusedException;
import org.falab.gateway.service.IdempotentRequest;
import org.falab.gateway.service.InvalidRequestException;
import org.falab.gateway.service.NotCancellableException;
import org.falab.gateway.service.InvalidSpecException;
import org.falab.gateway.service.RunNotFoundException;
import org.falab.gateway.service.SweepNotFoundException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error the API answers is {@code application/problem+json}, never a stack trace. These mappers only translate
 * (no counting, no other side effect): run specs and sweeps are read and checked by the services, which count what
 * they reject; JSON that RESTEasy itself cannot read is {@link JsonProblemMappers}' job.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e, UriInfo uri) {
        return Problem.response(400, "invalid-run-spec", "Invalid run spec", e.getMessage(), uri.getPath(),
                e.errors());
    }

    /** Bad query or path parameters, e.g. {@code ?limit=0}. */
    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<FieldViolation> errors = Violations.of(e.getConstraintViolations());
        return Problem.response(400, "invalid-request", "Invalid request", InvalidSpecException.countOf(errors, ""),
                uri.getPath(), errors);
    }

    /** A bad header, path parameter or body encoding, e.g. an Idempotency-Key of 300 characters. */
    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        return Problem.response(400, "invalid-request", "Invalid request", e.getMessage(), uri.getPath(),
                e.errors());
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e, UriInfo uri) {
        return Problem.response(422, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage(),
                uri.getPath(), List.of(new FieldViolation(IdempotentRequest.HEADER, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response notCancellable(NotCancellableException e, UriInfo uri) {
        return Problem.response(409, "not-cancellable", "Not cancellable", e.getMessage(), uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response sweepNotFound(SweepNotFoundException e, UriInfo uri) {
        return Problem.response(404, "sweep-not-found", "Sweep not found", e.getMessage(), uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e, UriInfo uri) {
        return Problem.response(404, "run-not-found", "Run not found", e.getMessage(), uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(503, "broker-unavailable", "Kafka is unavailable",
                e.getMessage() + "; try again later.", uri.getPath(), null))
                .header("Retry-After", "5").build();
    }

    /** 404 for unknown routes, 405, 406, 415 and whatever else JAX-RS raises, keeping its status. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            // Quarkus' JSON reader wraps parse errors in a plain 400
            return JsonProblemMappers.invalidJson(json, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Problem.response(status.getStatusCode(), "about:blank", status.getReasonPhrase(), e.getMessage(),
                uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error on " + uri.getPath(), e);
        return Problem.response(500, "about:blank", "Internal Server Error", "The gateway could not handle the request.",
                uri.getPath(), null);
    }
}
