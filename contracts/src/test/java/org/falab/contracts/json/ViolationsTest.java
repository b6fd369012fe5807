package org.falab.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.junit.jupiter.api.Test;

/** Reading event records by the contract: every broken field named at once, with the path a consumer logs. */
class ViolationsTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static List<String> violations(String json, Class<? extends Record> type) {
        try {
            Violations.read(json, type, VALIDATOR);
        } catch (ContractViolationException e) {
            return e.violations().stream().map(FieldViolation::toString).toList();
        }
        return List.of();
    }

    @Test
    void aForeignRunRequestedNamesEveryField() {
        assertThat(violations("{\"runId\": \"UPPER case\", \"spec\": null}", RunRequested.class)).containsExactly(
                "runId: must match ^[a-z0-9][a-z0-9-]{2,63}$", "spec: is required", "submittedAt: is required");
        assertThat(violations("{\"runId\": \"run-1\", \"submittedAt\": \"soon\", \"spec\": {\"dataset\": \"mnist\","
                + " \"method\": \"fa\", \"epochs\": 0}, \"extra\": 1}", RunRequested.class)).containsExactly(
                "extra: unknown field; known fields: cell, idempotencyKey, owner, project, requestHash, runId, spec, "
                        + "submittedAt, sweepId",
                "spec.epochs: must be at least 1", "submittedAt: must be an ISO-8601 time");
    }

    @Test
    void snapshotsNameTheBrokenSignal() {
        String snapshot = "{\"runId\": \"r\", \"step\": 4, \"epoch\": 1, \"time\": \"2026-12-01T00:00:00Z\","
                + " \"bucket\": \"falab\", \"signals\": [{\"layer\": \"fc1\", \"layerIndex\": 0, \"quantity\": \"weights\","
                + " \"key\": \"k\", \"rows\": 0, \"cols\": 2, \"layout\": \"examples x features\"}]}";
        assertThat(violations(snapshot, SnapshotRecorded.class)).containsExactly(
                "signals[0].quantity: must be one of error-signal, bp-error-signal, activity, update, weight, feedback",
                "signals[0].rows: must be at least 1");
        assertThat(violations("{\"runId\": \"r\", \"epoch\": 1, \"time\": \"2026-12-01T00:00:00Z\", \"bucket\": \"b\","
                + " \"signals\": []}", SnapshotRecorded.class))
                .containsExactly("signals: must hold at least one signal", "step: is required");
        assertThatThrownBy(() -> ContractJson.read("{\"runId\": \"r\"} {}", SnapshotRecorded.class))
                .isInstanceOf(ContractViolationException.class).hasMessageContaining("body");
    }
}
