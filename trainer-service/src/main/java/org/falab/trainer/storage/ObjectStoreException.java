package org.falab.trainer.storage;

/** An object-store operation failed (network, credentials, missing bucket). */
public class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String operation, Throwable cause) {
        super("object store: " + operation + " failed: " + cause.getMessage(), cause);
    }
}
