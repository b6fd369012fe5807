package org.falab.gateway.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), with an {@code errors} extension naming each bad
 * field of a request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://falab.org/problems/";

    /** One bad field: a path such as {@code epochs} or {@code hidden[1]}, and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
