package org.falab.gateway.auth;

import java.time.Duration;

/** A submission that would put its owner over {@code falab.quota.max-active-runs}: 429 with Retry-After. */
public class QuotaExceededException extends RuntimeException {

    private final Duration retryAfter;

    public QuotaExceededException(String user, int active, int asked, int max, Duration retryAfter) {
        super("user " + user + " has " + active + " queued or running runs; " + asked + " more would exceed the "
                + "quota of " + max + " (falab.quota.max-active-runs): wait for some to finish or cancel some");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
