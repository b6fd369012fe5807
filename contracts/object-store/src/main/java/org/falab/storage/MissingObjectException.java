package org.falab.storage;

/** The bucket or key is not there, or the object is larger than the caller reads: retrying will not help. */
public class MissingObjectException extends ObjectStoreException {

    public MissingObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
