package org.falab.trainer.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.contracts.storage.ObjectKeys;
import org.falab.learning.train.CheckpointData;
import org.falab.trainer.config.TrainerConfig;
import org.jboss.logging.Logger;

/**
 * A run's checkpoints in the object store. A checkpoint is written under a temporary key and copied to its final key,
 * then {@code latest.json} is pointed at it: a resuming trainer reads only what {@code latest.json} names, so a
 * checkpoint is either complete and named or invisible. Older step checkpoints are then removed as
 * {@code falab.checkpoints.keep-last} says; epoch ends are kept unless {@code keep-epoch-ends} is false.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A checkpoint larger than this is not a falab checkpoint (ResNet-18 with Muon state is about 200 MB). */
    private static final long MAX_BYTES = 4L << 30;

    /** What {@code latest.json} holds. */
    public record Latest(String key, int epoch, long step) {
    }

    private final DurableObjectStore store;
    private final int keepLast;
    private final boolean keepEpochEnds;

    public CheckpointStore(DurableObjectStore store, TrainerConfig config) {
        this.store = store;
        this.keepLast = Math.max(1, config.checkpoints().keepLast());
        this.keepEpochEnds = config.checkpoints().keepEpochEnds();
    }

    /** Stores a checkpoint completely, then makes it the run's latest; returns its key. */
    public String write(String runId, CheckpointData checkpoint) {
        String key = checkpoint.epochEnd() ? ObjectKeys.checkpoint(runId, checkpoint.epoch())
                : ObjectKeys.stepCheckpoint(runId, checkpoint.step());
        store.putAtomically(key + ".tmp", key, checkpoint.bytes(), "application/zip");
        store.put(ObjectKeys.latestCheckpoint(runId), json(new Latest(key, checkpoint.epoch(), checkpoint.step())),
                "application/json");
        prune(runId, key);
        return key;
    }

    /** The run's latest complete checkpoint, if it has one. */
    public Optional<Loaded> latest(String runId) {
        Optional<byte[]> pointer = store.readIfPresent(ObjectKeys.latestCheckpoint(runId), 64 * 1024);
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        try {
            Latest latest = JSON.readValue(pointer.get(), Latest.class);
            return Optional.of(new Loaded(latest, store.read(latest.key(), MAX_BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + ObjectKeys.latestCheckpoint(runId), e);
        }
    }

    /** A checkpoint read back: where it was and its bytes. */
    public record Loaded(Latest latest, byte[] bytes) {
    }

    /** Removes step checkpoints beyond the newest {@code keepLast}, and old epoch ends if they are not kept. */
    private void prune(String runId, String newest) {
        try {
            List<String> keys = store.list(ObjectKeys.checkpoints(runId)).stream()
                    .filter(k -> k.endsWith(".ckpt")).toList();
            List<String> steps = keys.stream().filter(k -> k.contains("/step-")).toList();
            for (int i = 0; i < steps.size() - keepLast; i++) {
                if (!steps.get(i).equals(newest)) {
                    store.delete(steps.get(i));
                }
            }
            if (!keepEpochEnds) {
                List<String> epochs = keys.stream().filter(k -> k.contains("/epoch-")).toList();
                for (int i = 0; i < epochs.size() - 1; i++) {
                    if (!epochs.get(i).equals(newest)) {
                        store.delete(epochs.get(i));
                    }
                }
            }
        } catch (RuntimeException e) {
            // a checkpoint left behind costs space, not correctness: the next prune removes it
            LOG.warnf("run %s: pruning old checkpoints failed: %s", runId, e.getMessage());
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
