package org.falab.trainer.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the trainer service. Every key has an environment override (e.g. FALAB_STORAGE_ENDPOINT).
 */
@ConfigMapping(prefix = "falab")
public interface TrainerConfig {

    /** Where checkpoints, probe snapshots and (optionally) datasets live. */
    Storage storage();

    /** Where datasets are read from. */
    Datasets datasets();

    /** How training reports itself. */
    Progress progress();

    interface Storage {
        /** S3 endpoint, e.g. http://127.0.0.1:9000 or http://minio:9000. */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        @WithDefault("falab")
        String accessKey();

        @WithDefault("falab-secret")
        String secretKey();

        /** Bucket for checkpoints, snapshots and datasets; created at start when missing. */
        @WithDefault("falab")
        String bucket();

        @WithDefault("us-east-1")
        String region();
    }

    interface Datasets {
        /**
         * A local folder holding {@code <dataset>/<idx file>} (or the files flat, as Debian's
         * dataset-fashion-mnist package does). Tried before the object store's {@code datasets/} prefix.
         */
        Optional<String> localDir();

        /** Key prefix of datasets in the bucket. */
        @WithDefault("datasets/")
        String objectPrefix();
    }

    interface Progress {
        /** A PROGRESS event every this many optimiser steps (epoch ends always report). */
        @WithDefault("20")
        int everySteps();
    }
}
