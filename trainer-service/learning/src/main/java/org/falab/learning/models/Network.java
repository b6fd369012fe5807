package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.learning.layers.Layer;
import org.falab.learning.layers.Parameter;

/** A classifier built from {@link Layer}s; outputs logits (examples x classes). */
public interface Network {

    /** Logits for a batch (examples x features). */
    default NDArray forward(NDArray input) {
        return forward(input, PreActivationHook.NONE);
    }

    /** Logits, letting the hook see every probed layer's pre-activation output. */
    NDArray forward(NDArray input, PreActivationHook hook);

    /** The layers whose outputs the hook sees, in order. */
    List<? extends Layer> layers();

    /** All trainable parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return layers().stream().flatMap(l -> l.parameters().stream()).toList();
    }

    /** All frozen tensors (feedback matrices), by name, in layer order. */
    default Map<String, NDArray> frozenTensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Layer l : layers()) {
            out.putAll(l.frozenTensors());
        }
        return out;
    }

    /** Every tensor a checkpoint must hold (parameters then frozen tensors), by name. */
    default Map<String, NDArray> tensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            out.put(p.name(), p.array());
        }
        out.putAll(frozenTensors());
        return out;
    }
}
