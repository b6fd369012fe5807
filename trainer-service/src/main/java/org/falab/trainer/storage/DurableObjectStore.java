package org.falab.trainer.storage;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.falab.storage.MissingObjectException;
import org.falab.storage.ObjectStore;
import org.falab.storage.ObjectStoreException;

import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * The trainer's object store calls, each retried with exponential backoff while the store fails (unreachable, 5xx)
 * for up to three minutes, so an outage of the object store makes training wait rather than fail the run. A missing
 * object is an answer, not a failure: it is never retried. One policy for every call, overridden with SmallRye Fault
 * Tolerance's configuration for the class, e.g. {@code
 * quarkus.fault-tolerance."org.falab.trainer.storage.DurableObjectStore".retry.max-duration}, or for one method
 * ({@code ".../DurableObjectStore/put"}).
 */
@ApplicationScoped
@Retry(maxRetries = -1, delay = 250, maxDuration = 3, durationUnit = ChronoUnit.MINUTES, jitter = 100,
        retryOn = ObjectStoreException.class, abortOn = MissingObjectException.class)
@ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
public class DurableObjectStore {

    private final ObjectStore store;

    public DurableObjectStore(ObjectStore store) {
        this.store = store;
    }

    /** The run bucket (no I/O, so nothing to retry). */
    public String bucket() {
        return store.bucket();
    }

    public void put(String key, byte[] bytes, String contentType) {
        store.put(key, bytes, contentType);
    }

    public void putAtomically(String temporaryKey, String finalKey, byte[] bytes, String contentType) {
        store.putAtomically(temporaryKey, finalKey, bytes, contentType);
    }

    public byte[] read(String key, long maxBytes) {
        return store.read(store.bucket(), key, maxBytes);
    }

    /** The object, or empty when the key names nothing; the store's failures are retried. */
    public Optional<byte[]> readIfPresent(String key, long maxBytes) {
        try {
            return Optional.of(store.read(store.bucket(), key, maxBytes));
        } catch (MissingObjectException e) {
            return Optional.empty();
        }
    }

    public List<String> list(String prefix) {
        return store.list(prefix);
    }

    public void delete(String key) {
        store.delete(key);
    }
}
