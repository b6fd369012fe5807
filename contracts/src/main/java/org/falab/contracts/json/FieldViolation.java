package org.falab.contracts.json;

/**
 * One thing wrong with a record: a path such as {@code epochs}, {@code hidden[1]}, {@code signals[0].rows} or
 * {@code body} (the whole value), and what is wrong with it, in words a user can act on.
 */
public record FieldViolation(String field, String message) {

    /** The same violation under a parent path: {@code cells[2].} + {@code epochs}. */
    public FieldViolation under(String prefix) {
        return new FieldViolation(prefix + field, message);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
