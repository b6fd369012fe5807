package org.falab.analysis.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything the analysis service reads from configuration under {@code falab.*}; each key has an environment
 * override, e.g. {@code FALAB_STORAGE_ENDPOINT}. Kafka settings live under {@code kafka.*} and
 * {@code mp.messaging.*} in application.properties.
 */
@ConfigMapping(prefix = "falab")
public interface AnalysisConfig {

    /** The S3-compatible object store the trainers write {@code .npy} probes to. */
    Storage storage();

    /** Limits of the analysis itself. */
    Analysis analysis();

    interface Storage {

        /** S3 endpoint URL (MinIO, S3Proxy, AWS). */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** Access key id. */
        @WithDefault("falab")
        String accessKey();

        /** Secret access key. */
        @WithDefault("falab-secret")
        String secretKey();

        /**
         * The bucket the readiness check looks at. Snapshot events name their own bucket, and that one is read.
         */
        @WithDefault("falab")
        String bucket();
    }

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
    }
}
