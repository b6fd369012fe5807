package org.falab.analysis.events;

import java.util.List;

/** Topic names and argument checks shared by the event records. */
public final class Events {

    /** Input: snapshot events from the trainers. */
    public static final String SNAPSHOTS_TOPIC = "falab.snapshots";
    /** Output: one analysis result per signal. */
    public static final String ANALYSIS_RESULTS_TOPIC = "falab.analysis-results";
    /** Where snapshot records that cannot be analysed go, with SmallRye's dead-letter-* headers. */
    public static final String SNAPSHOTS_DLQ_TOPIC = "falab.snapshots.dlq";
    /** Output: one alignment result per (step, layer) that has a complete pair of matrices. */
    public static final String ALIGNMENT_RESULTS_TOPIC = "falab.alignment-results";

    /** dL/d(output of the layer) under the run's rule. */
    public static final String ERROR_SIGNAL = "error-signal";
    /** The true BP error signal on the same probe batch (non-BP rules). */
    public static final String BP_ERROR_SIGNAL = "bp-error-signal";
    /** The layer's input. */
    public static final String ACTIVITY = "activity";
    /** The weight change the optimiser applied. */
    public static final String UPDATE = "update";
    /** The forward weight W, flattened to 2-D. */
    public static final String WEIGHT = "weight";
    /** The fixed feedback matrix B, flattened to 2-D. */
    public static final String FEEDBACK = "feedback";

    /** Quantities whose effective rank is computed and published as an AnalysisResult. */
    public static final List<String> RANKED_QUANTITIES = List.of(ERROR_SIGNAL, BP_ERROR_SIGNAL, ACTIVITY, UPDATE);
    /** Every quantity a snapshot signal may carry (snapshot-recorded.schema.json). */
    public static final List<String> QUANTITIES =
            List.of(ERROR_SIGNAL, BP_ERROR_SIGNAL, ACTIVITY, UPDATE, WEIGHT, FEEDBACK);

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
