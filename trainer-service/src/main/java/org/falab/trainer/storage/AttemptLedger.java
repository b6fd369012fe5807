package org.falab.trainer.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.contracts.storage.ObjectKeys;
import org.jboss.logging.Logger;

/**
 * What became of the attempts at a run that ended without ending the run, under {@code runs/<id>/attempts/}: a trainer
 * that gave a run back on shutdown says so, so that only attempts that died, lost their claim or met a transient
 * failure count towards {@code falab.queue.max-failed-attempts}. An attempt with no record here died.
 */
@ApplicationScoped
public class AttemptLedger {

    private static final Logger LOG = Logger.getLogger(AttemptLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String GIVEN_BACK = "GIVEN_BACK";

    private final DurableObjectStore store;

    public AttemptLedger(DurableObjectStore store) {
        this.store = store;
    }

    /** Records how attempt {@code number} ended; a failure to record is logged (the attempt then counts as died). */
    public void record(String runId, int number, String outcome, String reason) {
        try {
            byte[] json = JSON.writeValueAsString(java.util.Map.of("runId", runId, "attempt", number,
                    "outcome", outcome, "reason", reason == null ? "" : reason, "at", Instant.now().toString()))
                    .getBytes(StandardCharsets.UTF_8);
            store.put(ObjectKeys.attempt(runId, number), json, "application/json");
        } catch (Exception e) {
            LOG.warnf("run %s: could not record how attempt %d ended: %s", runId, number, e.getMessage());
        }
    }

    /** Attempts before {@code number} that ended without an outcome: all of them but those given back. */
    public int failedBefore(String runId, int number) {
        int givenBack = 0;
        for (String key : store.list(ObjectKeys.attempts(runId))) {
            int attempt = attemptOf(key);
            if (attempt > 0 && attempt < number && outcome(key).equals(GIVEN_BACK)) {
                givenBack++;
            }
        }
        return Math.max(0, number - 1 - givenBack);
    }

    private String outcome(String key) {
        try {
            return JSON.readTree(store.read(key, 64 * 1024)).path("outcome").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static int attemptOf(String key) {
        int dash = key.lastIndexOf("attempt-");
        int dot = key.lastIndexOf(".json");
        try {
            return dash < 0 || dot < dash ? -1 : Integer.parseInt(key.substring(dash + 8, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
