package org.falab.gateway.service;

import java.util.List;

import org.falab.contracts.json.FieldViolation;

/** A run spec (or a sweep's cell) that cannot train; answered 400 invalid-run-spec naming each field. */
public class InvalidSpecException extends RuntimeException {

    private final List<FieldViolation> errors;

    public InvalidSpecException(String message, List<FieldViolation> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    /** "1 field is invalid." or "N fields are invalid.", for a problem's detail. */
    public static String countOf(List<FieldViolation> errors, String where) {
        return errors.size() == 1 ? "1 field" + where + " is invalid." : errors.size() + " fields" + where
                + " are invalid.";
    }
}
