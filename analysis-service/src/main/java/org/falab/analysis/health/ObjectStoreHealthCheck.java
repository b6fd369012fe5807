package org.falab.analysis.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.falab.storage.ObjectStore;

/** Ready when the object store answers and the configured bucket ({@code falab.storage.bucket}) exists. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore objectStore;

    public ObjectStoreHealthCheck(ObjectStore objectStore) {
        this.objectStore = objectStore;
    }

    @Override
    public HealthCheckResponse call() {
        String bucket = objectStore.bucket();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-store")
                .withData("endpoint", objectStore.endpoint())
                .withData("bucket", bucket);
        try {
            boolean exists = objectStore.bucketExists(bucket);
            return response.status(exists).withData("bucketExists", exists).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
