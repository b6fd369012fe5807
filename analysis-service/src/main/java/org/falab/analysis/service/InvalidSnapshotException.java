package org.falab.analysis.service;

/**
 * A snapshot record that breaks the contract, or whose matrices do not: retrying cannot help, so the listener's
 * dead-letter strategy moves it to {@code falab.snapshots.dlq} with this message as the reason.
 */
public class InvalidSnapshotException extends RuntimeException {

    public InvalidSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
