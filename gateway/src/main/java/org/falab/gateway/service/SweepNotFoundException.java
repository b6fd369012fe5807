package org.falab.gateway.service;

/** No run of this sweep is known to this gateway (HTTP 404). */
public class SweepNotFoundException extends RuntimeException {

    public SweepNotFoundException(String sweepId) {
        super("no sweep with id " + sweepId);
    }
}
