package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.falab.learning.layers.FeedbackRule;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.LinearLayer;
import org.falab.learning.layers.Norm;
import org.falab.learning.layers.Part;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.layers.WeightLayer;
import org.falab.contracts.spec.LearningRule;

/**
 * Multi-layer perceptron: linear layers {@code fc1..fcN} (the hidden widths, then the class head),
 * each hidden one followed by its norm ({@code fcK.norm}) and ReLU. Every linear layer, first and
 * last included, follows the same learning rule, as in biotorch. Inputs of more than two
 * dimensions are flattened per example.
 */
public final class Mlp implements Network {

    private final List<LinearLayer> layers;
    private final List<Norm> norms;
    private final List<Part> parts;

    private Mlp(List<LinearLayer> layers, List<Norm> norms) {
        this.layers = List.copyOf(layers);
        this.norms = List.copyOf(norms);
        List<Part> p = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            p.add(layers.get(i));
            if (i < norms.size()) {
                p.add(norms.get(i));
            }
        }
        this.parts = List.copyOf(p);
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

    /**
     * An MLP of the given widths; tensors drawn or restored by the factory.
     *
     * @param norm {@code none}, {@code batch} or {@code layer}
     */
    public static Mlp create(int[] widths, LearningRule rule, Initializer feedbackInit, String norm,
            TensorFactory tensors) {
        int classes = widths[widths.length - 1];
        List<LinearLayer> layers = new ArrayList<>();
        List<Norm> norms = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            String name = layerName(i);
            boolean head = i + 2 == widths.length;
            layers.add(LinearLayer.create(name, widths[i], widths[i + 1], rule, feedbackInit, i > 0,
                    new FeedbackRule.DirectTarget(widths[i + 1], classes, head), tensors));
            if (!head) {
                norms.add(Norm.create(norm, name + ".norm", widths[i + 1], tensors));
            }
        }
        return new Mlp(layers, norms);
    }

    /** A freshly initialised MLP without norm, B drawn xavier-uniform (tests and tools). */
    public static Mlp initialise(LearningRule rule, int[] widths, TensorFactory tensors) {
        return create(widths, rule, Initializer.XAVIER_UNIFORM, "none", tensors);
    }

    /**
     * A freshly initialised MLP without norm (the first release's signature): W xavier-uniform, B
     * drawn with {@code feedbackInit}, all from named streams of {@code seed}.
     */
    public static Mlp initialise(LearningRule rule, int[] widths, Initializer feedbackInit, long seed,
            NDManager manager, DataType type) {
        return create(widths, rule, feedbackInit, "none", TensorFactory.seeded(manager, type, seed));
    }

    /** {@code fc1} for index 0, and so on. */
    public static String layerName(int index) {
        return "fc" + (index + 1);
    }

    @Override
    public NDArray forward(NDArray input, Pass pass) {
        NDArray h = input.getShape().dimension() == 2 ? input : input.reshape(input.getShape().get(0), -1);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, pass);
            if (i + 1 < layers.size()) {
                h = Activation.relu(norms.get(i).apply(h, pass));
            }
        }
        return pass.logits(h);
    }

    /**
     * By hand for an MLP without norms: forward {@code z_l = h_l W_lᵀ + b_l}, {@code h_{l+1} = relu(z_l)}; at the
     * logits {@code e = (softmax(z) − t) / N}; per layer {@code ∂W_l = δ_lᵀ h_l}, {@code ∂b_l = Σ_n δ_l} and, where the
     * layer sends an error back, {@code δ_{l−1} = (δ_l M_l) ∘ 1[h_l > 0]} with M_l the rule's matrix (W, or B for the
     * asymmetric rules: so FA costs no second forward product); a DFA hidden layer gets {@code δ_l = e B_lᵀ}. Norms
     * other than {@code none} have no hand-written backward.
     */
    @Override
    public Optional<LossGradients> exactLossGradients(NDArray input, NDArray oneHot) {
        if (!handWritten()) {
            return Optional.empty();
        }
        int count = layers.size();
        NDArray[] inputs = new NDArray[count];
        SoftmaxCrossEntropy.WithLogitError objective = SoftmaxCrossEntropy.withLogitError(forward(input, inputs),
                oneHot);
        NDArray[] deltas = deltas(objective.logitError(), inputs, false);
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (int i = count - 1; i >= 0; i--) {
            String name = layers.get(i).name();
            gradients.put(name + "." + WeightLayer.WEIGHT, deltas[i].transpose().matMul(inputs[i]));
            gradients.put(name + "." + WeightLayer.BIAS, deltas[i].sum(new int[] {0}));
        }
        return Optional.of(new LossGradients(objective.loss(), gradients));
    }

    /**
     * The same backward without the gradients, for a probe: one forward, then δ of every layer under the rule and,
     * with {@code withBp}, under plain BP (errors through every Wᵀ) on the same forward. Norms other than
     * {@code none} have none.
     */
    @Override
    public Optional<ExactErrorSignals> exactErrorSignals(NDArray input, NDArray oneHot, boolean withBp) {
        if (!handWritten()) {
            return Optional.empty();
        }
        NDArray[] inputs = new NDArray[layers.size()];
        NDArray error = SoftmaxCrossEntropy.withLogitError(forward(input, inputs), oneHot).logitError();
        NDArray[] own = deltas(error, inputs, false);
        NDArray[] bp = withBp ? deltas(error, inputs, true) : null;
        return Optional.of(new ExactErrorSignals(List.of(own), bp == null ? null : List.of(bp), List.of(inputs)));
    }

    /** Whether the hand-written backward applies: no norm but {@code none}. */
    private boolean handWritten() {
        return norms.stream().allMatch(n -> n instanceof Norm.Identity);
    }

    /** The logits; {@code inputs[l]} is set to layer l's input h_l (the flattened batch for the first). */
    private NDArray forward(NDArray input, NDArray[] inputs) {
        NDArray h = input.getShape().dimension() == 2 ? input : input.reshape(input.getShape().get(0), -1);
        for (int i = 0; i < layers.size(); i++) {
            inputs[i] = h;
            h = Linear.linear(h, layers.get(i).weight(), layers.get(i).bias()).singletonOrThrow();
            if (i + 1 < layers.size()) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    /**
     * δ_l = ∂L/∂z_l of every layer from the logit error: through each layer's rule matrix, or with {@code backprop}
     * through W as BP does (then DFA's direct errors are not used either).
     */
    private NDArray[] deltas(NDArray error, NDArray[] inputs, boolean backprop) {
        int count = layers.size();
        // drawn in forward order, as the autograd forward draws brSF's matrices
        NDArray[] back = new NDArray[count];
        for (int i = 1; i < count; i++) {
            back[i] = backprop ? layers.get(i).weight() : layers.get(i).rule().inputErrorMatrix(layers.get(i));
        }
        NDArray[] deltas = new NDArray[count];
        NDArray delta = error;
        for (int i = count - 1; i >= 0; i--) {
            LinearLayer layer = layers.get(i);
            if (!backprop && layer.rule() instanceof FeedbackRule.Direct direct && !direct.head()) {
                delta = error.matMul(direct.feedback(layer).transpose());
            }
            deltas[i] = delta;
            if (i > 0 && back[i] != null) {
                // inputs[i] = relu(z_{i-1}) >= 0, so its sign is the ReLU's derivative
                delta = delta.matMul(back[i]).muli(inputs[i].sign());
            }
        }
        return deltas;
    }

    @Override
    public List<LinearLayer> layers() {
        return layers;
    }

    @Override
    public List<Part> parts() {
        return parts;
    }
}
