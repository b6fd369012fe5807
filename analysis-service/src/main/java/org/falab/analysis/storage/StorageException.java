package org.falab.analysis.storage;

/** The object store could not be reached or failed; the snapshot may succeed later. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
