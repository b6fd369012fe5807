package org.falab.analysis.service;

/**
 * The object store could not serve a snapshot's object for a reason that passes: it is unreachable (connection
 * refused, reset, timed out) or answered with a server error (5xx, {@code 503 SlowDown}). {@link SnapshotObjects}
 * retries it with backoff; only when the store stays away longer than the retry window does it reach the listener,
 * which then dead-letters the record with this message.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
