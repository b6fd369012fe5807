package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** The optimiser of a run: a run spec's {@code optimizer} field. */
public enum OptimizerKind implements JsonName {
    /** Stochastic gradient descent with momentum (heavy ball, or Nesterov) and L2 (coupled) weight decay. */
    @JsonProperty("sgd")
    SGD,
    /** Adam with decoupled weight decay (Loshchilov and Hutter). */
    @JsonProperty("adamw")
    ADAMW,
    /** Muon for hidden matrices and conv filters, AdamW for the rest; decoupled weight decay. */
    @JsonProperty("muon")
    MUON;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
