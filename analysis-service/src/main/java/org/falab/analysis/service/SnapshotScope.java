package org.falab.analysis.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.storage.ObjectKeys;
import org.falab.storage.StorageConfig;

/**
 * What a snapshot event may make this service read: only the run's own snapshot keys
 * ({@link ObjectKeys#snapshotKeyProblem}) in the configured bucket ({@code falab.storage.bucket}). Anyone who can
 * write to {@code falab.snapshots} could otherwise point the analysis at any object its credentials reach; an
 * event out of scope is an {@link InvalidSnapshotException}, so it is dead-lettered with the reason and nothing of
 * it is read.
 */
@ApplicationScoped
public class SnapshotScope {

    private final String bucket;

    @Inject
    public SnapshotScope(StorageConfig storage) {
        this(storage.bucket());
    }

    /** The scope of events that name {@code bucket}. */
    public SnapshotScope(String bucket) {
        this.bucket = bucket;
    }

    /** Throws when the event names another bucket, or any signal a key that is not its run's snapshot key. */
    public void require(SnapshotRecorded snapshot) {
        if (!bucket.equals(snapshot.bucket())) {
            // the event's bucket is not echoed: it is whatever the producer wrote
            throw new InvalidSnapshotException("bucket: not the configured bucket " + bucket
                    + "; the analysis reads only the run's own snapshots there", null);
        }
        List<SnapshotRecorded.Signal> signals = snapshot.signals();
        for (int i = 0; i < signals.size(); i++) {
            SnapshotRecorded.Signal s = signals.get(i);
            int index = i;
            ObjectKeys.snapshotKeyProblem(snapshot.runId(), snapshot.step(), s.layer(), s.quantity(), s.key())
                    .ifPresent(problem -> {
                        throw new InvalidSnapshotException("signals[" + index + "]: " + problem
                                + "; the analysis reads only the run's own snapshots", null);
                    });
        }
    }
}
