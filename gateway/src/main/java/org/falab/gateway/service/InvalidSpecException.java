package org.falab.gateway.service;

import java.util.List;

import org.falab.gateway.rest.Problem;

/** A run spec (or a sweep's cell) that cannot train; answered 400 invalid-run-spec naming each field. */
public class InvalidSpecException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidSpecException(String message, List<Problem.FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
