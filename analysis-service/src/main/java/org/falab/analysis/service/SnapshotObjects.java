package org.falab.analysis.service;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.falab.analysis.config.AnalysisConfig;
import org.falab.analysis.metrics.AnalysisMetrics;
import org.falab.storage.ObjectStore;
import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Reads the objects a snapshot names, riding out object-store outages: a read that fails transiently
 * ({@link TransientStoreErrors}) is retried with exponential backoff (0.5 s, doubling, at most 15 s apart) for up
 * to {@code falab.analysis.object-store-retry-seconds} (180 s: a store restart or a 30 s outage is far inside it).
 * Meanwhile the listener waits on this record, in order, so nothing behind it is dead-lettered either. A missing
 * key or an oversized object fails at once (S3 reads are strongly consistent: the trainer writes the objects
 * before it publishes the event, so a key missing now stays missing).
 *
 * <p>The window is set in application.properties ({@code quarkus.fault-tolerance."...SnapshotObjects/read"}); a
 * separate bean because SmallRye Fault Tolerance only intercepts calls that come from outside the bean.
 */
@ApplicationScoped
public class SnapshotObjects {

    private static final Logger LOG = Logger.getLogger(SnapshotObjects.class);

    private final ObjectStore store;
    private final AnalysisMetrics metrics;
    private final long maxObjectBytes;
    private final long retrySeconds;

    @Inject
    public SnapshotObjects(ObjectStore store, AnalysisMetrics metrics, AnalysisConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.maxObjectBytes = config.analysis().maxObjectBytes();
        this.retrySeconds = config.analysis().objectStoreRetrySeconds();
    }

    /** The whole object, at most {@code falab.analysis.max-object-bytes}; see the class for what is retried. */
    @Retry(retryOn = StoreUnavailableException.class, maxRetries = -1, delay = 500, jitter = 100,
            maxDuration = 180, durationUnit = ChronoUnit.SECONDS)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public byte[] read(String bucket, String key) {
        try {
            return store.read(bucket, key, maxObjectBytes);
        } catch (RuntimeException e) {
            if (!TransientStoreErrors.isTransient(e)) {
                throw e;
            }
            metrics.objectStoreUnavailable();
            String where = "s3://" + bucket + "/" + key;
            LOG.warnf("object store unavailable reading %s, retrying with backoff for up to %d s: %s", where,
                    retrySeconds, e.getMessage());
            throw new StoreUnavailableException(where + ": object store unavailable (retried for up to "
                    + retrySeconds + " s): " + e.getMessage(), e);
        }
    }
}
