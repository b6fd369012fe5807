package org.falab.gateway.service;

/** Kafka did not acknowledge a record (a run request, a sweep's transaction, a cancellation) in time (HTTP 503). */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
