package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.falab.learning.io.NpyArray;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.LinearLayer;
import org.falab.learning.spec.LearningRule;

/**
 * Multi-layer perceptron: linear layers {@code fc1..fcN} (the hidden widths, then the class head),
 * ReLU between them, none after the head. Every linear layer, first and last included, follows the
 * same learning rule, as in biotorch.
 */
public final class Mlp implements Network {

    private final List<LinearLayer> layers;

    private Mlp(List<LinearLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Widths from input to output: {@code [inputs, hidden..., classes]}. */
    public static int[] widths(int inputs, List<Integer> hidden, int classes) {
        int[] w = new int[hidden.size() + 2];
        w[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            w[i + 1] = hidden.get(i);
        }
        w[w.length - 1] = classes;
        return w;
    }

    /** A freshly initialised MLP; weights and feedback matrices from named streams of {@code seed}. */
    public static Mlp initialise(LearningRule rule, int[] widths, Initializer init, long seed, NDManager manager,
            DataType type) {
        List<LinearLayer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(LinearLayer.initialise(rule, layerName(i), widths[i], widths[i + 1], init, seed, i > 0, manager,
                    type));
        }
        return new Mlp(layers);
    }

    /** An MLP whose tensors come from a map by full name ({@code "fc2.feedback"}), e.g. a checkpoint. */
    public static Mlp fromTensors(LearningRule rule, int[] widths, Map<String, NpyArray> tensors, NDManager manager,
            DataType type) {
        List<LinearLayer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            String name = layerName(i);
            LinearLayer.TensorValues values = suffix -> {
                NpyArray a = tensors.get(name + "." + suffix);
                if (a == null) {
                    throw new IllegalArgumentException("missing tensor " + name + "." + suffix);
                }
                return a.data();
            };
            layers.add(LinearLayer.build(rule, name, widths[i], widths[i + 1], values, i > 0, manager, type));
        }
        return new Mlp(layers);
    }

    /** {@code fc1} for index 0, and so on. */
    public static String layerName(int index) {
        return "fc" + (index + 1);
    }

    @Override
    public NDArray forward(NDArray input, PreActivationHook hook) {
        NDArray h = input;
        for (int i = 0; i < layers.size(); i++) {
            LinearLayer layer = layers.get(i);
            h = hook.apply(i, layer, layer.forward(h));
            if (i + 1 < layers.size()) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    @Override
    public List<LinearLayer> layers() {
        return layers;
    }
}
