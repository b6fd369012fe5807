package org.falab.gateway.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.falab.gateway.registry.RunRegistry;

/** Makes the plain-Java {@link RunRegistry} one CDI bean per application. */
public class RegistryProducer {

    @Produces
    @Singleton
    RunRegistry runRegistry() {
        return new RunRegistry();
    }
}
