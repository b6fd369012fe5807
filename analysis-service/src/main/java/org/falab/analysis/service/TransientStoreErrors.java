package org.falab.analysis.service;

import java.io.IOException;

import org.falab.storage.MissingObjectException;
import org.falab.storage.ObjectStoreException;

/**
 * Which failures of an object-store read may pass by themselves. Transient: the store's own
 * {@link ObjectStoreException} (it cannot be reached, or answered with an error other than "not there"), and any
 * exception with an {@link IOException} among its causes: the MinIO client reports a refused or timed-out
 * connection as an {@code IllegalStateException} around the {@code ConnectException}, which the shared
 * {@code ObjectStore} lets through unwrapped. Permanent: {@link MissingObjectException} (no such bucket or key, or
 * too large) and everything else (a bad argument, a bug), which retrying cannot mend.
 */
final class TransientStoreErrors {

    private TransientStoreErrors() {
    }

    static boolean isTransient(Throwable error) {
        if (error instanceof MissingObjectException) {
            return false;
        }
        if (error instanceof ObjectStoreException) {
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
