package org.falab.trainer.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

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

    /** How this trainer takes runs from the queue. */
    Queue queue();

    /** When runs are checkpointed and which checkpoints are kept. */
    Checkpoints checkpoints();

    interface Queue {
        /** The share group every trainer joins: each run request goes to one idle member. */
        @WithDefault("falab-trainer")
        String group();

        /**
         * How long a run stays locked to a trainer that stopped renewing it (it crashed, or lost the broker) before
         * another trainer may take it; the trainer renews at a third of it. Set on the share group at start.
         */
        @WithDefault("30s")
        Duration lockDuration();

        /** A HEARTBEAT event of the run in training this often; the gateway shows a run without them as STALLED. */
        @WithDefault("10s")
        Duration heartbeatEvery();

        /**
         * Attempts at a run that ended without an outcome (the trainer died, ran out of memory outside the run,
         * lost its claim, or met a transient failure): at this many the run is dead-lettered and FAILED.
         */
        @WithDefault("3")
        int maxFailedAttempts();

        /** How long shutdown (SIGTERM) waits for the run in training to checkpoint and be given back. */
        @WithDefault("90s")
        Duration giveBackTimeout();
    }

    interface Checkpoints {
        /** Also checkpoint after this much training time since the last checkpoint (0: only at epoch ends). */
        @WithDefault("5m")
        Duration every();

        /** Also checkpoint every this many steps (0: off). */
        @WithDefault("0")
        long everySteps();

        /** Step checkpoints kept besides the epoch ends (older ones are removed once a newer one is complete). */
        @WithDefault("2")
        int keepLast();

        /** Keep every epoch-end checkpoint (false: only the newest one, as with step checkpoints). */
        @WithDefault("true")
        boolean keepEpochEnds();
    }

    interface Training {
        /**
         * The device every run trains on: {@code auto} (the engine's GPU when it sees one, else the CPU), {@code cpu},
         * {@code gpu} or {@code gpu:N}. A GPU the machine does not have fails each run with that reason.
         */
        @WithDefault("auto")
        String device();

        /**
         * Compute with subnormal floats flushed to zero, as {@code torch.set_flush_denormal(True)} does: a saturated
         * run's error signals are full of them and a CPU computes on them many times slower. False keeps IEEE
         * gradual underflow (PyTorch's default), for numbers bit-identical to a script that does not flush.
         */
        @WithDefault("true")
        boolean flushDenormals();

        /**
         * The memory a run may need (parameters, optimiser state, one batch's activations, data): a run estimated to
         * need more fails before it allocates anything. Unset: three quarters of the machine's (or container's) memory.
         */
        OptionalLong memoryBudgetBytes();
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
