package org.falab.analysis.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The analysis service's own settings under {@code falab.analysis.*}; each key has an environment override, e.g.
 * {@code FALAB_ANALYSIS_MAX_OBJECT_BYTES}. The object store is {@code falab.storage.*}
 * ({@link org.falab.storage.StorageConfig}, shared with the trainer); Kafka settings live under {@code kafka.*} and
 * {@code mp.messaging.*} in application.properties.
 */
@ConfigMapping(prefix = "falab")
public interface AnalysisConfig {

    /** Limits of the analysis itself. */
    Analysis analysis();

    interface Analysis {

        /** Largest {@code .npy} object read into memory; a bigger one is rejected (dead-letter topic). */
        @WithDefault("268435456")
        long maxObjectBytes();

        /** How many results are kept in memory per run for the REST view; the oldest steps go first. */
        @WithDefault("10000")
        int maxResultsPerRun();

        /** How many runs are kept in memory for the REST view; the least recently updated run goes first. */
        @WithDefault("1000")
        int maxRuns();

        /** How long to wait for the broker to acknowledge the results of one snapshot. */
        @WithDefault("30s")
        Duration publishTimeout();

        /**
         * How long a snapshot's object read is retried while the object store is unavailable (unreachable, 5xx,
         * 503 SlowDown) before the record goes to the dead-letter topic, in seconds. application.properties hands
         * it to the {@code @Retry} of {@code SnapshotObjects.read}; {@code RetryWindowCheck} keeps it below the
         * consumer's stuck-record limit.
         */
        @WithDefault("180")
        long objectStoreRetrySeconds();

        /**
         * Memory for the matrices snapshots reference from an earlier step (kept with their ranks, so that a repeat
         * is neither read nor analysed again), in bytes of float64 entries. 0, the default, keeps none: with 64 MiB
         * kept, the end-to-end stack's 512 MiB analysis service dead-lettered conv-net snapshots with no reason
         * logged (as an Error would, most likely the heap running out); with 0 the same test passes.
         */
        @WithDefault("0")
        long repeatedMatrixBytes();
    }
}
