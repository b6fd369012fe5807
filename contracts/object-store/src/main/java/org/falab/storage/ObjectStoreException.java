package org.falab.storage;

/** An object-store operation failed (network, credentials, a server error): it may succeed later. */
public class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
