package org.falab.gateway;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.falab.contracts.events.Topics;
import org.falab.contracts.json.ContractJson;

/** Plays a trainer: writes run events to falab.run-events with a plain producer. */
public final class Trainer {

    private Trainer() {
    }

    /** One event of the run: {@code fields} plus runId and, unless given, the time now. */
    public static void says(String runId, Map<String, Object> fields) {
        Map<String, Object> event = new HashMap<>(fields);
        event.put("runId", runId);
        event.putIfAbsent("time", Instant.now().toString());
        KafkaTestClients.produce(Topics.RUN_EVENTS, runId, ContractJson.write(event));
    }
}
