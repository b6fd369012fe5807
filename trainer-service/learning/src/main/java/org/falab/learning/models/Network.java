package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.learning.layers.Parameter;
import org.falab.learning.layers.Part;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.PreActivationHook;
import org.falab.learning.layers.WeightLayer;

/**
 * A classifier built from Linear/Conv2d {@link WeightLayer}s and norms; outputs logits (examples x
 * classes). Inputs: examples x features for {@code mlp}; N x C x H x W for the others (a 2-D batch
 * is reshaped to the network's image shape).
 */
public interface Network {

    /** Logits of one pass; the pass decides train/probe/eval behaviour and sees every layer. */
    NDArray forward(NDArray input, Pass pass);

    /** Logits in evaluation mode (norms use running statistics). */
    default NDArray forward(NDArray input) {
        return forward(input, Pass.eval());
    }

    /** Logits of a probe pass under the network's rule, the hook seeing every layer. */
    default NDArray forward(NDArray input, PreActivationHook hook) {
        return forward(input, Pass.probe(hook));
    }

    /**
     * The training pass's mean cross-entropy on one batch and every parameter's gradient by a hand-written backward,
     * equal to what autograd gives for {@code forward(input, Pass.train())} (no graph is recorded and nothing is
     * accumulated on the parameters); empty where this network has no hand-written backward (then use autograd).
     *
     * @param oneHot examples x classes
     */
    default java.util.Optional<LossGradients> exactLossGradients(NDArray input, NDArray oneHot) {
        return java.util.Optional.empty();
    }

    /**
     * What a probe records, by a hand-written backward on one forward: δ_l = ∂L/∂(output of layer l) under the
     * network's rule, the same under plain BP when {@code withBp}, and each layer's input; equal to what autograd
     * gives for {@code forward(input, Pass.probe(hook))} and {@code Pass.backpropProbe(hook)} (nothing recorded or
     * accumulated); empty where this network has no hand-written backward (then the probe uses autograd).
     *
     * @param oneHot examples x classes
     */
    default java.util.Optional<ExactErrorSignals> exactErrorSignals(NDArray input, NDArray oneHot, boolean withBp) {
        return java.util.Optional.empty();
    }

    /** The Linear and Conv2d layers in the order a forward pass runs them (the hook's indices). */
    List<? extends WeightLayer> layers();

    /** Everything that owns tensors (layers and norms), in a fixed order. */
    List<? extends Part> parts();

    /** All trainable parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return parts().stream().flatMap(l -> l.parameters().stream()).toList();
    }

    /** All frozen tensors (feedback matrices, frSF magnitudes), by name. */
    default Map<String, NDArray> frozenTensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Part p : parts()) {
            out.putAll(p.frozenTensors());
        }
        return out;
    }

    /** All buffers (batch-norm running statistics), by name. */
    default Map<String, NDArray> buffers() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Part p : parts()) {
            out.putAll(p.buffers());
        }
        return out;
    }

    /** Every tensor a checkpoint must hold (parameters, frozen tensors, buffers), by name. */
    default Map<String, NDArray> tensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            out.put(p.name(), p.array());
        }
        out.putAll(frozenTensors());
        out.putAll(buffers());
        return out;
    }
}
