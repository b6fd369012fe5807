package org.falab.trainer.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.falab.storage.ObjectStore;

/** Ready only when the run bucket can be reached: without it no checkpoint or snapshot can be written. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore objectStore;

    public ObjectStoreHealthCheck(ObjectStore objectStore) {
        this.objectStore = objectStore;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("object-store").withData("bucket", objectStore.bucket());
        try {
            return response.status(objectStore.bucketExists(objectStore.bucket())).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
