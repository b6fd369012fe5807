package org.falab.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One {@link ObjectStore} per application, from {@link StorageConfig}. */
public class ObjectStoreProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(StorageConfig config) {
        return new ObjectStore(config);
    }
}
