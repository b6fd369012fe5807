package org.falab.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventContractTest {

    private final EventContract contract = EventContract.fromModule();

    private static final Map<String, String> SCHEMA_OF_EXAMPLE = Map.of(
            "run-requested", "run-requested.schema.json",
            "run-event", "run-event.schema.json",
            "snapshot-recorded", "snapshot-recorded.schema.json",
            "analysis-result", "analysis-result.schema.json",
            "alignment-result", "alignment-result.schema.json");

    @Test
    void everyExampleConformsToItsSchema() throws Exception {
        int checked = 0;
        for (var entry : SCHEMA_OF_EXAMPLE.entrySet()) {
            for (Path example : contract.examples(entry.getKey())) {
                assertThat(contract.violations(entry.getValue(), Files.readString(example)))
                        .as(example.toString()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(12);
    }

    @Test
    void schemasRejectWhatTheContractForbids() {
        assertThat(contract.violations("run-event.schema.json",
                "{\"runId\":\"r\",\"type\":\"FAILED\",\"time\":\"2026-11-26T00:00:00Z\"}"))
                .as("FAILED needs a reason").isNotEmpty();
        assertThat(contract.violations("run-requested.schema.json",
                "{\"runId\":\"Bad Id\",\"submittedAt\":\"2026-11-26T00:00:00Z\",\"spec\":{}}"))
                .as("bad id and empty spec").hasSizeGreaterThanOrEqualTo(2);
        assertThat(contract.violations("analysis-result.schema.json", "not json")).isNotEmpty();
    }
}
