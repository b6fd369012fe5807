package org.falab.gateway.service;

/** No run with this id is known to this gateway (HTTP 404). */
public class RunNotFoundException extends RuntimeException {

    private final String runId;

    public RunNotFoundException(String runId) {
        super("no run with id " + runId);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
