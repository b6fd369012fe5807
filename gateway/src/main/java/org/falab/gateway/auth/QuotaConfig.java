package org.falab.gateway.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-user limits (prefix {@code falab.quota}). */
@ConfigMapping(prefix = "falab.quota")
public interface QuotaConfig {

    /**
     * Most runs one user may have queued, running, stalled or cancelling at once, admins included; a run or sweep
     * that would go over answers 429. The default lets one sweep of {@code falab.gateway.sweep.max-runs} through.
     */
    @WithDefault("200")
    int maxActiveRuns();

    /** The Retry-After of a 429: about how long a queued run takes to make room. */
    @WithDefault("30s")
    Duration retryAfter();
}
