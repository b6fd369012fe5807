package org.falab.trainer.listener;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import org.falab.contracts.events.RunRequested;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.FieldViolation;
import org.falab.contracts.json.Violations;
import org.falab.contracts.spec.RunSpecRules;

/**
 * Reads a {@code RunRequested} record by the contract: the strict codec (unknown fields, wrong types and missing
 * fields are errors), the record's and its spec's bounds, then the spec's combination rules (the
 * same checks the gateway answers 400s from, {@link org.falab.contracts.spec.RunSpecChecks}). The gateway checked the spec already, so a record that fails here is
 * corrupt or foreign and belongs on the DLQ; the exception's message is the dead-letter reason.
 */
@ApplicationScoped
public class RunRequestParser {

    private final Validator validator;

    public RunRequestParser(Validator validator) {
        this.validator = validator;
    }

    public RunRequested parse(String payload) {
        RunRequested request;
        try {
            request = Violations.read(payload, RunRequested.class, validator);
        } catch (ContractViolationException e) {
            throw new InvalidRunRequestException("not a valid RunRequested record: " + e.getMessage());
        }
        List<FieldViolation> rules = RunSpecRules.check(request.spec());
        if (!rules.isEmpty()) {
            throw new InvalidRunRequestException("the spec cannot train: " + String.join("; ",
                    rules.stream().map(v -> v.under("spec.").toString()).toList()));
        }
        return request;
    }
}
