package org.falab.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.falab.storage.ObjectStore;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** Creates the run bucket at start when it is missing; an unreachable store only makes the service unready. */
@ApplicationScoped
public class BucketInitializer {

    private static final Logger LOG = Logger.getLogger(BucketInitializer.class);

    void onStart(@Observes StartupEvent start, ObjectStore objectStore) {
        try {
            objectStore.ensureBucket();
        } catch (RuntimeException e) {
            LOG.warnf("object store not reachable at start (%s); readiness stays down until it is", e.getMessage());
        }
    }
}
