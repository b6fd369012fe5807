package org.falab.trainer.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/** How an attempt at a run ended, and so what the trainer tells the share group about the run request. */
public enum Outcome {
    /** The run ended (SUCCEEDED, FAILED or CANCELLED published), or the record was dead-lettered: done with it. */
    FINISHED(AcknowledgeType.ACCEPT),
    /** A checkpoint is written and the run goes back to the queue (the trainer is shutting down). */
    GIVEN_BACK(AcknowledgeType.RELEASE),
    /** A transient failure (object store or broker away for longer than the retries): another attempt resumes. */
    RETRY(AcknowledgeType.RELEASE),
    /** The claim was lost: the lock is someone else's, nothing to acknowledge. */
    LOST(null);

    private final AcknowledgeType acknowledgement;

    Outcome(AcknowledgeType acknowledgement) {
        this.acknowledgement = acknowledgement;
    }

    /** The acknowledgement of the record, or null when the attempt no longer holds it. */
    public AcknowledgeType acknowledgement() {
        return acknowledgement;
    }

    /** Whether the attempt ended without an outcome for the run, so that it counts against the run's attempts. */
    public boolean failedAttempt() {
        return this == RETRY || this == LOST;
    }
}
