package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/**
 * How errors travel backwards through a layer: a run spec's {@code method} field. Chosen once when a network is
 * built (it picks the layer's feedback strategy), never inspected inside {@code forward}.
 */
public enum LearningRule implements JsonName {
    /** Backpropagation: the input gradient goes through the transposed forward weights. */
    @JsonProperty("bp")
    BP,
    /** Feedback Alignment: the input gradient goes through a fixed random matrix B of W's shape. */
    @JsonProperty("fa")
    FA,
    /** Direct Feedback Alignment: every hidden layer gets the output error e through its own fixed random matrix. */
    @JsonProperty("dfa")
    DFA,
    /** Uniform sign-concordant feedback: B = sign(W), recomputed every step. */
    @JsonProperty("usf")
    USF,
    /** Batch-wise random-magnitude sign-concordant feedback: B = |M| ∘ sign(W), M redrawn every batch. */
    @JsonProperty("brsf")
    BRSF,
    /** Fixed random-magnitude sign-concordant feedback: B = |M| ∘ sign(W), M drawn once. */
    @JsonProperty("frsf")
    FRSF;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
