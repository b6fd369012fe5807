package org.falab.learning.spec;

/** The optimisers a run spec can name. */
public enum OptimizerKind {
    /** Stochastic gradient descent with momentum (heavy ball, or Nesterov) and L2 (coupled) weight decay. */
    SGD("sgd"),
    /** Adam with decoupled weight decay (Loshchilov and Hutter). */
    ADAMW("adamw"),
    /** Muon for hidden matrices and conv filters, AdamW for the rest; decoupled weight decay. */
    MUON("muon");

    private final String specName;

    OptimizerKind(String specName) {
        this.specName = specName;
    }

    /** The name used in run specs. */
    public String specName() {
        return specName;
    }

    /** The kind named by a spec's {@code optimizer} field. */
    public static OptimizerKind fromSpec(String name) {
        for (OptimizerKind kind : values()) {
            if (kind.specName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected sgd, adamw or muon)");
    }
}
