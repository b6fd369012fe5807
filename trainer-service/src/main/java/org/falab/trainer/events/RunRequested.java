package org.falab.trainer.events;

import java.time.Instant;
import java.util.Map;

import org.falab.learning.spec.RunSpec;

/**
 * A run to train: docs/events/run-requested.schema.json. {@code sweepId} and {@code cell} are set for the runs of a
 * sweep; the trainer carries them for the logs only.
 */
public record RunRequested(String runId, RunSpec spec, Instant submittedAt, String sweepId, Map<String, Object> cell) {
}
