package org.falab.gateway.service;

/**
 * The Idempotency-Key was used before with another body (HTTP 422): the client reused a key for a different
 * submission, and answering with the first one's run would hide that.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String message) {
        super(message);
    }

    /** The key created {@code what} {@code id} from another body. */
    public static IdempotencyKeyReusedException usedFor(String what, String id) {
        return new IdempotencyKeyReusedException("this Idempotency-Key was used for " + what + " " + id
                + " with another body; use a new key for a new submission");
    }

    /** Another request with the key and another body is being handled right now. */
    public static IdempotencyKeyReusedException inUse(String what) {
        return new IdempotencyKeyReusedException("this Idempotency-Key is in use by another request with another "
                + "body (a " + what + " being created); use a new key for a new submission");
    }
}
