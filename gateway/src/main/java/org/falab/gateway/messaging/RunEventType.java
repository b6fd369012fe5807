package org.falab.gateway.messaging;

/** The {@code type} of a {@link RunEvent}. */
public enum RunEventType {
    STARTED, PROGRESS, EPOCH_COMPLETED, CHECKPOINT_WRITTEN, SUCCEEDED, FAILED, WARNING
}
