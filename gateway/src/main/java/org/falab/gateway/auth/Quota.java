package org.falab.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.gateway.registry.RunRegistry;

/**
 * The per-user quota of active runs, counted from this gateway's view (issue 9). Checked before publishing, without
 * a reservation: two submissions of one user racing through two gateways (or one) may both pass and end a few runs
 * over the limit; the next one is refused.
 */
@ApplicationScoped
public class Quota {

    private final RunRegistry registry;
    private final QuotaConfig config;

    public Quota(RunRegistry registry, QuotaConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** Throws {@link QuotaExceededException} unless the caller may add {@code runs} more active runs. */
    public void check(Caller caller, int runs) {
        int active = registry.activeRuns(caller.user());
        if (active + runs > config.maxActiveRuns()) {
            throw new QuotaExceededException(caller.user(), active, runs, config.maxActiveRuns(),
                    config.retryAfter());
        }
    }
}
