package org.falab.trainer.events;

import java.time.Instant;

import org.falab.learning.spec.RunSpec;

/** A run to train: docs/events/run-requested.schema.json. */
public record RunRequested(String runId, RunSpec spec, Instant submittedAt) {
}
