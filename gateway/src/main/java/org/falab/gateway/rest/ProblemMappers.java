package org.falab.gateway.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.falab.gateway.service.BrokerUnavailableException;
import org.falab.gateway.service.GatewayMetrics;
import org.falab.gateway.service.InvalidSpecException;
import org.falab.gateway.service.RunNotFoundException;
import org.falab.gateway.service.SweepNotFoundException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every error the API answers is {@code application/problem+json}. Jackson's own exceptions get a mapper each
 * (Quarkus ships a built-in one for {@link MismatchedInputException}; a mapper for the exact class wins over it),
 * so bad input is always a 400 naming the field and never a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final GatewayMetrics metrics;

    public ProblemMappers(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    // One method per Jackson type: Quarkus picks the mapper of the closest class, and ships its own for
    // MismatchedInputException; all of them end in jackson(...).

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri, HttpServerRequest request) {
        return jackson(e, uri, request);
    }

    @ServerExceptionMapper
    public Response wrongValue(InvalidFormatException e, UriInfo uri, HttpServerRequest request) {
        return jackson(e, uri, request);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri, HttpServerRequest request) {
        return jackson(e, uri, request);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e, UriInfo uri, HttpServerRequest request) {
        return jackson(e, uri, request);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri, HttpServerRequest request) {
        return jackson(e, uri, request);
    }

    private Response jackson(JsonProcessingException e, UriInfo uri, HttpServerRequest request) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return invalid(request, uri, "The request body has a field the run spec does not know.",
                    List.of(new Problem.FieldError(path(u), "unknown field; known fields: " + known)));
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m);
            return invalid(request, uri, field.isEmpty() ? "The request body must be a JSON object."
                    : "A field has a value of the wrong type.",
                    List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, typeMessage(m))));
        }
        if (e instanceof JsonMappingException m) {
            String field = path(m);
            return invalid(request, uri, "The request body does not fit the run spec.",
                    List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, m.getOriginalMessage())));
        }
        // malformed JSON, or a number too large for its type: the parser throws those without a path,
        // but its context still knows the field it was reading
        String field = "body";
        String detail = "The request body is not valid JSON.";
        if (e instanceof InputCoercionException && e.getProcessor() instanceof JsonParser parser) {
            String at = contextPath(parser.getParsingContext());
            field = at.isEmpty() ? field : at;
            detail = "A number is out of range.";
        }
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return invalid(request, uri, detail, List.of(new Problem.FieldError(field, e.getOriginalMessage() + where)));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri, HttpServerRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return invalid(request, uri, errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.",
                errors);
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e, UriInfo uri, HttpServerRequest request) {
        return invalid(request, uri, e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response sweepNotFound(SweepNotFoundException e, UriInfo uri) {
        return problem(404, "sweep-not-found", "Sweep not found", e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e, UriInfo uri) {
        return problem(404, "run-not-found", "Run not found", e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e, UriInfo uri) {
        return Response.fromResponse(problem(503, "broker-unavailable", "Kafka is unavailable",
                e.getMessage() + "; the run was not accepted, try again later.", uri, null))
                .header("Retry-After", "5").build();
    }

    /** 404 for unknown routes, 405, 406, 415 and whatever else JAX-RS raises, keeping its status. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // Quarkus' JSON reader wraps parse errors in a plain 400
            return jackson(json, uri, request);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return problem(status.getStatusCode(), "about:blank", status.getReasonPhrase(), e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("unexpected error on " + uri.getPath(), e);
        return problem(500, "about:blank", "Internal Server Error", "The gateway could not handle the request.",
                uri, null);
    }

    private Response invalid(HttpServerRequest request, UriInfo uri, String detail, List<Problem.FieldError> errors) {
        if (request.method() != HttpMethod.POST) {
            // e.g. a bad ?limit=; only POST /api/v1/runs and /api/v1/sweeps read run specs
            return problem(400, "invalid-request", "Invalid request", detail, uri, errors);
        }
        metrics.runRejected();
        return problem(400, "invalid-run-spec", "Invalid run spec", detail, uri, errors);
    }

    private static Response problem(int status, String type, String title, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        String fullType = type.startsWith("about:") ? type : Problem.TYPE_BASE + type;
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(fullType, title, status, detail, uri.getPath(), errors))
                .build();
    }

    /** {@code hidden[1]} from Jackson's reference chain. */
    public static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String contextPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (!out.isEmpty() && !part.startsWith("[")) {
                out.append('.');
            }
            out.append(part);
        }
        return out.toString();
    }

    /**
     * {@code hidden[1]} from a Bean Validation path, without the method and parameter nodes; a violation on a
     * parameter itself names the parameter ({@code limit}, or {@code body} for the request body).
     */
    public static String field(Path path) {
        StringBuilder out = new StringBuilder();
        String parameter = "body";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CROSS_PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(node.getName());
        }
        return out.isEmpty() ? parameter : out.toString();
    }

    private static String typeMessage(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        String expected;
        if (target == null) {
            expected = "a value of another type";
        } else if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            expected = target == Double.class || target == double.class ? "a number" : "an integer";
        } else if (java.util.Collection.class.isAssignableFrom(target)) {
            expected = "an array";
        } else if (target == String.class) {
            expected = "a string";
        } else {
            expected = "a JSON object";
        }
        return "must be " + expected;
    }
}
