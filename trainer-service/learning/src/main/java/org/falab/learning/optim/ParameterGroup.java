package org.falab.learning.optim;

import java.util.List;
import org.falab.learning.layers.Parameter;

/**
 * Parameters that share hyper-parameters. One group holds everything today; Muon will split hidden
 * matrices from the rest.
 *
 * @param name label for logs and checkpoints
 * @param parameters the tensors to update
 * @param learningRate step size
 * @param weightDecay decay factor (coupled or decoupled depending on the optimiser)
 */
public record ParameterGroup(String name, List<Parameter> parameters, double learningRate, double weightDecay) {

    /** Copies the list. */
    public ParameterGroup {
        parameters = List.copyOf(parameters);
    }
}
