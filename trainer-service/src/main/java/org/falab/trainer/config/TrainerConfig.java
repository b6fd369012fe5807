package org.falab.trainer.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the trainer service. Every key has an environment override (e.g. FALAB_DATASETS_LOCAL_DIR). The object
 * store is configured under {@code falab.storage} ({@link org.falab.storage.StorageConfig}, shared with the analysis
 * service).
 */
@ConfigMapping(prefix = "falab")
public interface TrainerConfig {

    /** Where datasets are read from. */
    Datasets datasets();

    /** How training reports itself. */
    Progress progress();

    /** Where training runs. */
    Training training();

    interface Training {
        /**
         * The device every run trains on: {@code auto} (the engine's GPU when it sees one, else the CPU), {@code cpu},
         * {@code gpu} or {@code gpu:N}. A GPU the machine does not have fails each run with that reason.
         */
        @WithDefault("auto")
        String device();
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

        /**
         * Probe snapshots written in the background at most at once (encoding, uploads and the SnapshotRecorded
         * event); one more makes the training thread wait. 0 writes them on the training thread.
         */
        @WithDefault("2")
        int pendingSnapshots();
    }
}
