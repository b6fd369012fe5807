package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;

/**
 * A Linear or Conv2d layer of a network: the layers that have a learning rule, that probes see and
 * that a model builder counts. The learning rule is fixed when the layer is built (a
 * {@link FeedbackRule} strategy), so {@link #forward} never branches on it.
 */
public interface Layer extends Part {

    /** Name used in probes and tensor names, e.g. {@code "fc1"}, {@code "layer2.0.conv1"}. */
    String name();

    /** The layer's output in the given pass; reports input and output to the pass (hooks, DFA). */
    NDArray forward(NDArray input, Pass pass);

    /** The output of a plain training-mode pass without hooks. */
    default NDArray forward(NDArray input) {
        return forward(input, Pass.train());
    }

    /** Output features (linear) or output channels (conv). */
    int outputFeatures();
}
