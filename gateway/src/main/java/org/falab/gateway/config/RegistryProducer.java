package org.falab.gateway.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.falab.gateway.registry.RunRegistry;

/** Makes the plain-Java {@link RunRegistry} one CDI bean per application, on the system clock. */
public class RegistryProducer {

    @Produces
    @Singleton
    RunRegistry runRegistry(ViewConfig view) {
        return new RunRegistry(Clock.systemUTC(), view.limits());
    }
}
