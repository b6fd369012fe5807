package org.falab.gateway.service;

/**
 * The Idempotency-Key was used before with another body (HTTP 422): the client reused a key for a different
 * submission, and answering with the first one's run would hide that.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String what, String id) {
        super("this Idempotency-Key was used for " + what + " " + id + " with another body; use a new key for a "
                + "new submission");
    }
}
