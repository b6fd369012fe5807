package org.falab.analysis.rest;

/** No results for the run on this instance. */
public class RunNotFoundException extends RuntimeException {

    private final String runId;

    public RunNotFoundException(String runId) {
        super("no analysis results for run " + runId);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
