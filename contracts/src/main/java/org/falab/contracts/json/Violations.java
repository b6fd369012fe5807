package org.falab.contracts.json;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;

/** Jakarta Validation results as {@link FieldViolation}s with JSON paths ({@code hidden[1]}, {@code spec.epochs}). */
public final class Violations {

    private Violations() {
    }

    /** The violations, sorted by field then message. */
    public static List<FieldViolation> of(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> new FieldViolation(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .toList();
    }

    /**
     * Validates a record read from a topic or a body (its annotations, and those of nested records marked
     * {@code @Valid}).
     *
     * @throws ContractViolationException naming every violated field
     */
    public static <T> T require(T record, Validator validator) {
        List<FieldViolation> found = of(validator.validate(record));
        if (!found.isEmpty()) {
            throw new ContractViolationException("invalid " + record.getClass().getSimpleName(), found);
        }
        return record;
    }

    /**
     * Reads a record from JSON text and validates it, naming every violation at once: fields that could not be read
     * (their own bounds are not reported again) and the bounds of the rest.
     *
     * @throws ContractViolationException with every violation, sorted by field
     */
    public static <R extends Record> R read(String json, Class<R> type, Validator validator) {
        return read(ContractJson.readTree(json), type, validator);
    }

    /** {@link #read(String, Class, Validator)} of a parsed tree. */
    public static <R extends Record> R read(com.fasterxml.jackson.databind.JsonNode json, Class<R> type,
            Validator validator) {
        ContractJson.Fields<R> fields = ContractJson.readFields(json, type);
        List<FieldViolation> violations = new java.util.ArrayList<>(fields.violations());
        if (fields.value() != null) {
            of(validator.validate(fields.value())).stream()
                    .filter(v -> !fields.failed().contains(topLevel(v.field())))
                    .forEach(violations::add);
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message));
            throw new ContractViolationException("invalid " + type.getSimpleName(), violations);
        }
        return fields.value();
    }

    /** The top-level field of a path: {@code hidden} of {@code hidden[1]}, {@code spec} of {@code spec.epochs}. */
    public static String topLevel(String field) {
        int end = field.length();
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) == '.' || field.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return field.substring(0, end);
    }

    /**
     * {@code hidden[1]} from a Bean Validation path, without method and parameter nodes; a violation on a parameter
     * itself names the parameter ({@code limit}), or {@code body}.
     */
    public static String field(Path path) {
        StringBuilder out = new StringBuilder();
        String parameter = "body";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CROSS_PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(node.getName());
        }
        return out.isEmpty() ? parameter : out.toString();
    }
}
