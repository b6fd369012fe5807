package org.falab.analysis.storage;

/** The object a snapshot names is not there (or is larger than the service reads): the record is bad. */
public class MissingObjectException extends RuntimeException {

    public MissingObjectException(String message) {
        super(message);
    }

    public MissingObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
