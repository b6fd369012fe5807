package org.falab.gateway.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.falab.contracts.json.JsonViolations;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Jackson's exceptions, for a body RESTEasy reads itself (every falab body is read by the services, so this is a
 * safety net): a 400 naming the field in the contract's words. One method per Jackson type: Quarkus picks the mapper
 * of the closest class and ships its own for {@link MismatchedInputException}; a mapper for the exact class wins.
 */
public class JsonProblemMappers {

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return invalidJson(e, uri);
    }

    @ServerExceptionMapper
    public Response wrongValue(InvalidFormatException e, UriInfo uri) {
        return invalidJson(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return invalidJson(e, uri);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e, UriInfo uri) {
        return invalidJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return invalidJson(e, uri);
    }

    static Response invalidJson(JsonProcessingException e, UriInfo uri) {
        return Problem.response(400, "invalid-request", "Invalid request", "The request body cannot be read.",
                uri.getPath(), JsonViolations.of(e, ""));
    }
}
