package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;

/**
 * A Linear or Conv2d layer: weight W, bias b and a {@link FeedbackRule}. The subclass fixes the
 * operation (matrix product or convolution); the rule fixes the backward. {@link #forward} never
 * inspects which rule it holds.
 */
public abstract sealed class WeightLayer implements Layer permits LinearLayer, Conv2dLayer {

    /** Suffix of the weight tensor name. */
    public static final String WEIGHT = "weight";
    /** Suffix of the bias tensor name. */
    public static final String BIAS = "bias";

    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private final FeedbackRule rule;
    private final boolean errorToInput;
    private final List<Parameter> parameters;

    /** Takes ownership of the arrays and marks W and b as requiring gradient. */
    WeightLayer(String name, NDArray weight, NDArray bias, FeedbackRule rule, boolean errorToInput) {
        if (bias.getShape().dimension() != 1 || bias.getShape().get(0) != weight.getShape().get(0)) {
            throw new IllegalArgumentException(name + ": bias " + bias.getShape() + " does not fit weight "
                    + weight.getShape());
        }
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.rule = rule;
        this.errorToInput = errorToInput;
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        this.parameters = List.of(
                new Parameter(name + "." + WEIGHT, weight, Parameter.Kind.WEIGHT),
                new Parameter(name + "." + BIAS, bias, Parameter.Kind.BIAS));
    }

    /** The layer's operation with the given weight and (nullable) bias; keeps autograd's own backward. */
    abstract NDArray apply(NDArray input, NDArray w, NDArray b);

    /** What one row of this layer's weight matrix and probes mean, e.g. {@code "out x in"}. */
    public abstract String weightLayout();

    @Override
    public final NDArray forward(NDArray input, Pass pass) {
        NDArray y = pass.backprop() ? apply(input, weight, bias) : rule.forward(this, input);
        NDArray out = pass.output(this, input, y);
        if (!pass.backprop() && pass.differentiable()) {
            rule.afterOutput(this, out, pass);
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    /** W: (out, in) or (out, in, kh, kw). */
    public NDArray weight() {
        return weight;
    }

    /** b, shape (out). */
    public NDArray bias() {
        return bias;
    }

    /** The learning-rule strategy. */
    public FeedbackRule rule() {
        return rule;
    }

    /** The feedback matrix in use now (see {@link FeedbackRule#feedback}); null for BP and the DFA head. */
    public NDArray feedback() {
        return rule.feedback(this);
    }

    /** Whether an error is sent to the input; false only where the input is data (the first layer). */
    public boolean errorToInput() {
        return errorToInput;
    }

    /** W flattened to 2-D: out x in·kh·kw (a view for the caller to copy). */
    public NDArray weightMatrix() {
        Shape s = weight.getShape();
        return weight.reshape(s.get(0), s.size() / s.get(0));
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, NDArray> frozenTensors() {
        return rule.frozenTensors(name);
    }

    @Override
    public int outputFeatures() {
        return (int) weight.getShape().get(0);
    }
}
