package org.falab.contracts.events;

import java.util.List;

/**
 * What a probe matrix holds: the {@code quantity} of a {@link SnapshotRecorded.Signal} and of an
 * {@link AnalysisResult}, and the suffix of its object key ({@code <layer>.<quantity>.npy}).
 */
public final class Quantities {

    /** δ = ∂L/∂(output of the layer) under the run's rule, one row per example (conv: per position). */
    public static final String ERROR_SIGNAL = "error-signal";
    /** The true BP error signal at the same weights and on the same probe batch (non-BP rules). */
    public static final String BP_ERROR_SIGNAL = "bp-error-signal";
    /** The layer's input on the probe batch. */
    public static final String ACTIVITY = "activity";
    /** The weight change the optimiser applied at the probe step, 2-D (out x in*kh*kw). */
    public static final String UPDATE = "update";
    /** The forward weight W, flattened to 2-D. */
    public static final String WEIGHT = "weight";
    /** The fixed feedback matrix B, flattened to 2-D. */
    public static final String FEEDBACK = "feedback";

    /** Quantities whose effective rank the analysis service computes and publishes. */
    public static final List<String> RANKED = List.of(ERROR_SIGNAL, BP_ERROR_SIGNAL, ACTIVITY, UPDATE);
    /** Every quantity a snapshot signal may carry. */
    public static final List<String> ALL = List.of(ERROR_SIGNAL, BP_ERROR_SIGNAL, ACTIVITY, UPDATE, WEIGHT, FEEDBACK);

    /** {@link #RANKED} as a regular expression, for validation annotations. */
    public static final String RANKED_PATTERN = ERROR_SIGNAL + "|" + BP_ERROR_SIGNAL + "|" + ACTIVITY + "|" + UPDATE;
    /** {@link #ALL} as a regular expression, for validation annotations. */
    public static final String ALL_PATTERN = RANKED_PATTERN + "|" + WEIGHT + "|" + FEEDBACK;
    /** {@link #RANKED} for messages. */
    public static final String RANKED_TEXT = ERROR_SIGNAL + ", " + BP_ERROR_SIGNAL + ", " + ACTIVITY + ", " + UPDATE;
    /** {@link #ALL} for messages. */
    public static final String ALL_TEXT = RANKED_TEXT + ", " + WEIGHT + ", " + FEEDBACK;

    private Quantities() {
    }
}
