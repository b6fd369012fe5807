package org.falab.learning.train;

import org.falab.contracts.events.Quantities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.learning.layers.Layer;
import org.falab.learning.layers.Parameter;
import org.falab.learning.models.Network;

/**
 * The optimiser side of a probe: the weight change {@code W_after − W_before} that one optimiser step applied to each
 * layer's weight (quantity {@code update}), as the 2-D matrix {@code out x in·kh·kw} (layout {@value #OUT_X_IN}).
 * It is the whole applied change: learning rate, momentum, Muon's orthogonalisation and weight decay included.
 * Copies the weights to the Java heap before the step, so it costs one copy of every weight per probe step.
 */
public final class UpdateProbe {

    /** Layout of weight-shaped quantities. */
    public static final String OUT_X_IN = "out x in";

    private UpdateProbe() {}

    /** The weight of every layer, by layer name, copied before an update. */
    public static Map<String, float[]> weights(Network network) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Layer layer : network.layers()) {
            NDArray w = weight(layer);
            if (w != null) {
                out.put(layer.name(), w.toFloatArray());
            }
        }
        return out;
    }

    /** {@code W_after − W_before} of every layer in {@code before}, in layer order. */
    public static List<LayerSignal> updates(Network network, Map<String, float[]> before) {
        List<LayerSignal> out = new ArrayList<>();
        List<? extends Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            float[] old = before.get(layer.name());
            NDArray w = weight(layer);
            if (old == null || w == null) {
                continue;
            }
            float[] now = w.toFloatArray();
            float[] delta = new float[now.length];
            for (int k = 0; k < now.length; k++) {
                delta[k] = now[k] - old[k];
            }
            Shape s = w.getShape();
            int rows = (int) s.get(0);
            out.add(new LayerSignal(layer.name(), i, Quantities.UPDATE, rows, now.length / rows, OUT_X_IN, delta));
        }
        return out;
    }

    private static NDArray weight(Layer layer) {
        for (Parameter p : layer.parameters()) {
            if (p.kind() == Parameter.Kind.WEIGHT) {
                return p.array();
            }
        }
        return null;
    }
}
