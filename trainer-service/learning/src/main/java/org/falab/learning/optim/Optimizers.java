package org.falab.learning.optim;

import java.util.List;
import org.falab.learning.layers.Parameter;
import org.falab.learning.spec.RunSpec;

/** Builds the optimiser a run spec names. */
public final class Optimizers {

    private Optimizers() {}

    /**
     * One group of all trainable parameters, decayed alike (biases included, as with
     * {@code torch.optim} given {@code model.parameters()}). Frozen feedback matrices are not
     * parameters, so they are never seen here.
     */
    public static Optimizer create(RunSpec spec, List<Parameter> parameters) {
        List<ParameterGroup> groups =
                List.of(new ParameterGroup("all", parameters, spec.learningRate(), spec.weightDecay()));
        return switch (spec.optimizerKind()) {
            case SGD -> new Sgd(groups, spec.momentum());
            case ADAMW -> new AdamW(groups);
        };
    }
}
