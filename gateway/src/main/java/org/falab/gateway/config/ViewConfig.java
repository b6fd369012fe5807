package org.falab.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import org.falab.gateway.registry.RunRegistry;

/**
 * How the gateway's view of runs is kept (prefix {@code falab.view}; each key has an environment override, e.g.
 * {@code FALAB_VIEW_STALLED_AFTER=2m}).
 */
@ConfigMapping(prefix = "falab.view")
public interface ViewConfig {

    /**
     * A RUNNING or CANCELLING run with no event of its current attempt for longer than this is shown STALLED.
     * Trainers send a HEARTBEAT every few seconds; keep this well above that and above the clock skew between the
     * trainers and the gateway (the times compared are the events' own).
     */
    @WithDefault("60s")
    Duration stalledAfter();

    /** Most probe steps one run keeps for its snapshots, analysis and alignment results each (downsampled). */
    @WithDefault("64")
    int maxProbeSteps();

    /** Most WARNING events one run keeps (the newest). */
    @WithDefault("100")
    int maxWarnings();

    /** Most checkpoint keys one run keeps (the newest). */
    @WithDefault("100")
    int maxCheckpoints();

    /** Most steps of train loss and test accuracy one run keeps for its curves and metrics.csv (downsampled). */
    @WithDefault("" + RunRegistry.Limits.DEFAULT_MAX_METRIC_STEPS)
    int maxMetricSteps();

    default RunRegistry.Limits limits() {
        return new RunRegistry.Limits(stalledAfter(), maxProbeSteps(), maxWarnings(), maxCheckpoints(),
                maxMetricSteps());
    }
}
