package org.falab.analysis.config;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start when the object-store retry window does not fit in the consumer's stuck-record limit. The
 * Kafka connector's throttled commit strategy fails the {@code snapshots} channel (and so the service's health) when
 * a record stays unprocessed longer than {@code throttled.unprocessed-record-max-age.ms}; a snapshot waiting out an
 * outage is such a record, so the limit must be longer than the retry window plus the time to publish the results.
 * Checked at start so that a too-long {@code FALAB_ANALYSIS_OBJECT_STORE_RETRY_SECONDS} fails the deployment, not
 * the consumer in the middle of an outage.
 */
@Singleton
public class RetryWindowCheck {

    /** Left for reading and analysing the snapshot itself once the store is back. */
    static final Duration MARGIN = Duration.ofSeconds(60);

    void onStart(@Observes StartupEvent event, AnalysisConfig config,
                 @ConfigProperty(name = "mp.messaging.incoming.snapshots.throttled.unprocessed-record-max-age.ms",
                         defaultValue = "60000") long maxAgeMs) {
        check(Duration.ofSeconds(config.analysis().objectStoreRetrySeconds()), config.analysis().publishTimeout(),
                maxAgeMs);
    }

    /** Throws when a record retried for {@code retry} could outlive {@code maxAgeMs} (0 or less: no limit). */
    static void check(Duration retry, Duration publishTimeout, long maxAgeMs) {
        if (retry.isNegative()) {
            throw new IllegalStateException("falab.analysis.object-store-retry-seconds must be >= 0, not "
                    + retry.toSeconds());
        }
        Duration needed = retry.plus(publishTimeout).plus(MARGIN);
        if (maxAgeMs > 0 && needed.toMillis() >= maxAgeMs) {
            throw new IllegalStateException("falab.analysis.object-store-retry-seconds=" + retry.toSeconds()
                    + " plus the publish timeout (" + publishTimeout.toSeconds() + " s) and " + MARGIN.toSeconds()
                    + " s to analyse does not fit in mp.messaging.incoming.snapshots.throttled."
                    + "unprocessed-record-max-age.ms=" + maxAgeMs + ": the consumer would be failed as stuck while "
                    + "it waits for the object store; raise that limit or shorten the retry");
        }
    }
}
