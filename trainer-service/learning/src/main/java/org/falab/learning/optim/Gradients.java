package org.falab.learning.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.falab.learning.layers.Parameter;

/**
 * Where an optimiser step reads each parameter's gradient: what autograd left on the parameter, or the arrays a
 * hand-written backward computed (then nothing is accumulated on the parameters and nothing needs zeroing).
 */
@FunctionalInterface
public interface Gradients {

    /** The gradients autograd accumulated on the parameters. */
    Gradients AUTOGRAD = p -> p.array().getGradient();

    /** The gradient of the loss with respect to {@code p}. */
    NDArray of(Parameter p);

    /** Gradients by parameter name; a parameter without one is an error, never a silent zero. */
    static Gradients byName(Map<String, NDArray> gradients) {
        return p -> {
            NDArray g = gradients.get(p.name());
            if (g == null) {
                throw new IllegalStateException("no gradient for parameter " + p.name());
            }
            return g;
        };
    }
}
