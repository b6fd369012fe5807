package org.falab.gateway.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.falab.contracts.json.FieldViolation;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), with an {@code errors} extension naming each bad
 * field of a request: a path such as {@code epochs}, {@code hidden[1]} or {@code cells[2].method}, and what is wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://falab.org/problems/";
    /**
     * Most errors one problem names: a body of a megabyte of unknown fields must not be answered with ten megabytes
     * of errors (the detail still counts them all).
     */
    public static final int MAX_ERRORS = 100;

    /** The response carrying a problem; {@code type} is a name under {@link #TYPE_BASE} or {@code about:blank}. */
    public static Response response(int status, String type, String title, String detail, String instance,
            List<FieldViolation> errors) {
        String fullType = type.startsWith("about:") ? type : TYPE_BASE + type;
        List<FieldViolation> named = errors == null || errors.size() <= MAX_ERRORS ? errors
                : List.copyOf(errors.subList(0, MAX_ERRORS));
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem(fullType, title, status, detail, instance, named))
                .build();
    }
}
