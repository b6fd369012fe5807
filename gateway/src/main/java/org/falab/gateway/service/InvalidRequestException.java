package org.falab.gateway.service;

import java.util.List;

import org.falab.contracts.json.FieldViolation;

/**
 * A request the gateway cannot take apart from its spec: a bad header, path parameter or body encoding; answered
 * 400 invalid-request naming each field (a header by its name, e.g. {@code Idempotency-Key}).
 */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldViolation> errors;

    public InvalidRequestException(String field, String message) {
        super(field + " " + message);
        this.errors = List.of(new FieldViolation(field, message));
    }

    public InvalidRequestException(String message, List<FieldViolation> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldViolation> errors() {
        return errors;
    }
}
