package org.falab.gateway.service;

/** Kafka did not acknowledge a RunRequested in time; the run was not accepted (HTTP 503). */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
