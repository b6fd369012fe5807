package org.falab.learning.spec;

import java.util.Locale;

/**
 * How errors travel backwards through a layer. Chosen once when a network is built (it picks the
 * layer's {@code FeedbackRule} strategy), never inspected inside {@code forward}.
 */
public enum LearningRule {
    /** Backpropagation: the input gradient goes through the transposed forward weights. */
    BP,
    /** Feedback Alignment: the input gradient goes through a fixed random matrix B of W's shape. */
    FA,
    /** Direct Feedback Alignment: every hidden layer gets the output error e through its own fixed random matrix. */
    DFA,
    /** Uniform sign-concordant feedback: B = sign(W), recomputed every step. */
    USF,
    /** Batch-wise random-magnitude sign-concordant feedback: B = |M| ∘ sign(W), M redrawn every batch. */
    BRSF,
    /** Fixed random-magnitude sign-concordant feedback: B = |M| ∘ sign(W), M drawn once. */
    FRSF;

    /** The rule named by a spec's {@code method} field ({@code "bp"}, {@code "fa"}, ...). */
    public static LearningRule fromMethod(String method) {
        for (LearningRule rule : values()) {
            if (rule.method().equals(method)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown method '" + method + "' (expected bp, fa, dfa, usf, brsf or frsf)");
    }

    /** The lower-case name used in run specs and events. */
    public String method() {
        return name().toLowerCase(Locale.ROOT);
    }
}
