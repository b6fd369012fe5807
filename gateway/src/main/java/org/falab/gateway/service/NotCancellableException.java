package org.falab.gateway.service;

/** The run (or every run of the sweep) is already SUCCEEDED, FAILED or CANCELLED (HTTP 409). */
public class NotCancellableException extends RuntimeException {

    public NotCancellableException(String message) {
        super(message);
    }
}
