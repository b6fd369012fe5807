package org.falab.analysis.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.Violations;

/**
 * Reads a {@code falab.snapshots} record value by the contract: the strict codec, then the record's bounds (a
 * signal's quantity, sizes, keys), then its scope ({@link SnapshotScope}: the configured bucket, the run's own
 * snapshot keys). Anything else is an {@link InvalidSnapshotException} naming the field.
 */
@ApplicationScoped
public class SnapshotReader {

    private final Validator validator;
    private final SnapshotScope scope;

    public SnapshotReader(Validator validator, SnapshotScope scope) {
        this.validator = validator;
        this.scope = scope;
    }

    public SnapshotRecorded read(String payload) {
        SnapshotRecorded snapshot;
        try {
            snapshot = Violations.require(ContractJson.read(payload, SnapshotRecorded.class), validator);
        } catch (ContractViolationException e) {
            throw new InvalidSnapshotException(e.getMessage(), e);
        }
        scope.require(snapshot);
        return snapshot;
    }
}
