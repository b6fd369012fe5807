package org.falab.contracts.spec;

import java.util.List;

import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.FieldViolation;
import org.falab.contracts.json.Violations;

/**
 * Everything that decides whether a spec can train, in one order: JSON types and unknown fields, then every
 * field's bounds (its Jakarta Validation annotations, checked by the caller's {@link Validator}), then, when those
 * hold, the {@link RunSpecRules combination rules}. The gateway answers 400s from it, the trainer dead-letters
 * from it.
 */
public final class RunSpecChecks {

    private RunSpecChecks() {
    }

    /** Built on first use: bootstrapping a provider costs a few hundred milliseconds. */
    private static final class DefaultValidator {
        static final Validator INSTANCE = jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();
    }

    /**
     * {@link #violations(RunSpec, Validator)} with the default Jakarta Validation provider (Hibernate Validator on the
     * class path), for plain-Java users such as the learning core; services pass their container's validator.
     */
    public static List<FieldViolation> violations(RunSpec spec) {
        return violations(spec, DefaultValidator.INSTANCE);
    }

    /** Every violation of a resolved spec (bounds first; rules only when the bounds hold), sorted by field. */
    public static List<FieldViolation> violations(RunSpec spec, Validator validator) {
        List<FieldViolation> bounds = Violations.of(validator.validate(spec));
        return bounds.isEmpty() ? RunSpecRules.check(spec) : bounds;
    }

    /**
     * Reads a spec from a JSON object and checks it; every violation is named at once (a wrong type in one field
     * does not hide a bad bound in another).
     *
     * @throws ContractViolationException with every violation
     */
    public static RunSpec read(JsonNode json, Validator validator) {
        RunSpec spec = Violations.read(json, RunSpec.class, validator);
        List<FieldViolation> rules = RunSpecRules.check(spec);
        if (!rules.isEmpty()) {
            throw new ContractViolationException("invalid run spec", rules);
        }
        return spec;
    }

    /** {@link #read(JsonNode, Validator)} of JSON text. */
    public static RunSpec read(String json, Validator validator) {
        return read(ContractJson.readTree(json), validator);
    }
}
