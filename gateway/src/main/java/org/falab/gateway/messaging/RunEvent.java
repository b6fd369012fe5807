package org.falab.gateway.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Topic falab.run-events (docs/events/run-event.schema.json): the life of a run, written by trainers.
 * Fields that do not apply to a type are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunEvent(
        String runId,
        RunEventType type,
        Instant time,
        Integer epoch,
        Long step,
        Long totalSteps,
        Double trainLoss,
        Double testAccuracy,
        String checkpointKey,
        Double trainingSeconds,
        String engine,
        String reason) {
}
