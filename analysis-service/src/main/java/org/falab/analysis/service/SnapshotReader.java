package org.falab.analysis.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.Violations;

/**
 * Reads a {@code falab.snapshots} record value by the contract: the strict codec, then the record's bounds (a
 * signal's quantity, sizes, keys). Anything else is an {@link InvalidSnapshotException} naming the field.
 */
@ApplicationScoped
public class SnapshotReader {

    private final Validator validator;

    public SnapshotReader(Validator validator) {
        this.validator = validator;
    }

    public SnapshotRecorded read(String payload) {
        try {
            return Violations.require(ContractJson.read(payload, SnapshotRecorded.class), validator);
        } catch (ContractViolationException e) {
            throw new InvalidSnapshotException(e.getMessage(), e);
        }
    }
}
