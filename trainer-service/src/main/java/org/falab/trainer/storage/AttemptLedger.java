package org.falab.trainer.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.contracts.storage.ObjectKeys;
import org.jboss.logging.Logger;

/**
 * The attempts at a run, under {@code runs/<id>/attempts/}: each attempt records the step it started from when it
 * starts, and how it ended when it ends without ending the run. A run "kills its trainers" when attempt after attempt
 * dies (or fails transiently, or loses its claim) without getting past the checkpoint it started from: those
 * attempts, counted back from the newest, are what {@code falab.queue.max-failed-attempts} bounds. Attempts that got
 * further, or that were given back on shutdown, break the count, so a run preempted many times still finishes.
 */
@ApplicationScoped
public class AttemptLedger {

    private static final Logger LOG = Logger.getLogger(AttemptLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String STARTED = "STARTED";
    public static final String GIVEN_BACK = "GIVEN_BACK";

    private final DurableObjectStore store;

    public AttemptLedger(DurableObjectStore store) {
        this.store = store;
    }

    /**
     * The number of the attempt a delivery starts: one more than the newest attempt recorded. Not the broker's
     * delivery count: a trainer busy with another run acquires and releases queued records as it polls, and a broker
     * restart can start the count again, so the count says little about how often a run was really tried.
     */
    public int nextAttempt(String runId) {
        int newest = 0;
        for (String key : store.list(ObjectKeys.attempts(runId))) {
            newest = Math.max(newest, attemptOf(key));
        }
        return newest + 1;
    }

    /** The run's terminal event is on the broker ({@link ObjectKeys#ended}). */
    public void runEnded(String runId, int number, String outcome) {
        try {
            store.put(ObjectKeys.ended(runId), JSON.writeValueAsString(Map.of("runId", runId, "attempt", number,
                    "outcome", outcome, "at", Instant.now().toString())).getBytes(StandardCharsets.UTF_8),
                    "application/json");
        } catch (Exception e) {
            // without it a duplicate delivery resumes at the final step and repeats the terminal event: harmless
            LOG.warnf("run %s: could not record that it ended: %s", runId, e.getMessage());
        }
    }

    /** Whether the run's terminal event was published already. */
    public boolean hasEnded(String runId) {
        return store.readIfPresent(ObjectKeys.ended(runId), 64 * 1024).isPresent();
    }

    private static int attemptOf(String key) {
        int at = key.lastIndexOf("attempt-");
        int dot = key.lastIndexOf(".json");
        try {
            return at < 0 || dot < at ? 0 : Integer.parseInt(key.substring(at + 8, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Attempt {@code number} starts from checkpoint step {@code fromStep} (0: the beginning). */
    public void started(String runId, int number, long fromStep) {
        write(runId, number, STARTED, fromStep, null);
    }

    /** Attempt {@code number}, started from {@code fromStep}, ended without ending the run. */
    public void ended(String runId, int number, long fromStep, String outcome, String reason) {
        write(runId, number, outcome, fromStep, reason);
    }

    /**
     * How many attempts right before {@code number} ended without an outcome and without progress: each started from
     * {@code latestStep} (the run's checkpoint has not moved since) and was not given back. An attempt with no record
     * died before it could write one, so it counts too.
     */
    public int failedInARow(String runId, int number, long latestStep) {
        int failed = 0;
        for (int previous = number - 1; previous >= 1; previous--) {
            JsonNode record = read(runId, previous);
            if (record != null && (GIVEN_BACK.equals(record.path("outcome").asText())
                    || record.path("fromStep").asLong(-1) != latestStep)) {
                break;
            }
            failed++;
        }
        return failed;
    }

    private JsonNode read(String runId, int number) {
        return store.readIfPresent(ObjectKeys.attempt(runId, number), 64 * 1024).map(bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (Exception e) {
                return null;
            }
        }).orElse(null);
    }

    private void write(String runId, int number, String outcome, long fromStep, String reason) {
        try {
            byte[] json = JSON.writeValueAsString(Map.of("runId", runId, "attempt", number, "outcome", outcome,
                    "fromStep", fromStep, "reason", reason == null ? "" : reason, "at", Instant.now().toString()))
                    .getBytes(StandardCharsets.UTF_8);
            store.put(ObjectKeys.attempt(runId, number), json, "application/json");
        } catch (Exception e) {
            // without it the attempt counts as one that died: safe, at worst a run is dead-lettered an attempt early
            LOG.warnf("run %s: could not record attempt %d (%s): %s", runId, number, outcome, e.getMessage());
        }
    }
}
