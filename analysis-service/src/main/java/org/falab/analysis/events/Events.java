package org.falab.analysis.events;

/** Topic names and argument checks shared by the event records. */
public final class Events {

    /** Input: snapshot events from the trainers. */
    public static final String SNAPSHOTS_TOPIC = "falab.snapshots";
    /** Output: one analysis result per signal. */
    public static final String ANALYSIS_RESULTS_TOPIC = "falab.analysis-results";
    /** Where snapshot records that cannot be analysed go, with SmallRye's dead-letter-* headers. */
    public static final String SNAPSHOTS_DLQ_TOPIC = "falab.snapshots.dlq";
    /** The only quantity the contract knows so far. */
    public static final String ERROR_SIGNAL = "error-signal";

    private Events() {
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidEventException(message);
        }
    }

    static void requireText(String value, String field) {
        require(value != null && !value.isBlank(), field + " is required and must not be blank");
    }

    static void requireNonNegative(long value, String field) {
        require(value >= 0, field + " must be >= 0, got " + value);
    }
}
