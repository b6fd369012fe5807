package org.falab.contracts.json;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A value that breaks the contract: not JSON, the wrong shape, out of bounds, or a combination that cannot train.
 * Carries every violation found, each naming its field. The gateway answers it with a 400, a consumer sends the
 * record to its dead-letter topic with {@link #getMessage()} as the reason.
 */
public class ContractViolationException extends RuntimeException {

    private final List<FieldViolation> violations;

    public ContractViolationException(String what, List<FieldViolation> violations) {
        super(what + ": " + violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a contract violation needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public ContractViolationException(String what, FieldViolation violation) {
        this(what, List.of(violation));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
