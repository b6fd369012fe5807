package org.falab.trainer.listener;

/** A record on the requests topic that is not a trainable run request; it goes to the dead-letter topic. */
public class InvalidRunRequestException extends RuntimeException {

    public InvalidRunRequestException(String message) {
        super(message);
    }
}
