package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.falab.learning.spec.LearningRule;
import org.falab.learning.spec.Seeds;

/**
 * A fully connected layer {@code y = x Wᵀ + b} with W of shape (out, in). Subclasses decide how the
 * error travels back to the input.
 */
public abstract sealed class LinearLayer implements Layer permits BackpropLinear, FeedbackAlignmentLinear {

    /** Suffix of the weight tensor name. */
    public static final String WEIGHT = "weight";
    /** Suffix of the bias tensor name. */
    public static final String BIAS = "bias";
    /** Suffix of the feedback matrix name. */
    public static final String FEEDBACK = "feedback";

    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private final List<Parameter> parameters;

    /** Takes ownership of the arrays and marks them as requiring gradient. */
    protected LinearLayer(String name, NDArray weight, NDArray bias) {
        if (weight.getShape().dimension() != 2 || bias.getShape().dimension() != 1
                || bias.getShape().get(0) != weight.getShape().get(0)) {
            throw new IllegalArgumentException(name + ": weight " + weight.getShape() + " and bias "
                    + bias.getShape() + " do not fit a linear layer");
        }
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        this.parameters = List.of(
                new Parameter(name + "." + WEIGHT, weight, Parameter.Kind.WEIGHT),
                new Parameter(name + "." + BIAS, bias, Parameter.Kind.BIAS));
    }

    /**
     * Builds a freshly initialised layer for the given rule. Weight, bias and feedback matrix come
     * from separate named random streams of {@code seed}, so B is independent of W.
     */
    public static LinearLayer initialise(LearningRule rule, String name, int in, int out, Initializer init,
            long seed, boolean errorToInput, NDManager manager, DataType type) {
        TensorValues values = purpose -> {
            SplittableRandom rng = Seeds.stream(seed, "init/" + name + "." + purpose);
            return switch (purpose) {
                case BIAS -> new double[out]; // zero bias, as biotorch's xavier init does
                default -> init.sample(out, in, rng);
            };
        };
        return build(rule, name, in, out, values, errorToInput, manager, type);
    }

    /** Builds a layer that sends its error to its input, from given values. */
    public static LinearLayer build(LearningRule rule, String name, int in, int out, TensorValues values,
            NDManager manager, DataType type) {
        return build(rule, name, in, out, values, true, manager, type);
    }

    /**
     * Builds a layer from given values, e.g. a checkpoint's.
     *
     * @param errorToInput false if the input is data, so no error needs to reach it (a layer may
     *     then skip work; the result is the same)
     */
    public static LinearLayer build(LearningRule rule, String name, int in, int out, TensorValues values,
            boolean errorToInput, NDManager manager, DataType type) {
        NDArray w = create(manager, values.get(WEIGHT), new Shape(out, in), type);
        NDArray b = create(manager, values.get(BIAS), new Shape(out), type);
        return switch (rule) {
            case BP -> new BackpropLinear(name, w, b);
            case FA -> new FeedbackAlignmentLinear(name, w, b,
                    create(manager, values.get(FEEDBACK), new Shape(out, in), type), errorToInput);
        };
    }

    private static NDArray create(NDManager manager, double[] values, Shape shape, DataType type) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got " + values.length);
        }
        if (type == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        if (type != DataType.FLOAT32) {
            throw new IllegalArgumentException("only float32 and float64 layers are supported, not " + type);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, shape);
    }

    /** Supplies the values of one tensor of a layer by its suffix ({@code weight}, {@code bias}, {@code feedback}). */
    @FunctionalInterface
    public interface TensorValues {
        /** Row-major values for the tensor with the given suffix. */
        double[] get(String suffix);
    }

    @Override
    public String name() {
        return name;
    }

    /** W, shape (out, in). */
    public NDArray weight() {
        return weight;
    }

    /** b, shape (out). */
    public NDArray bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public int outputFeatures() {
        return (int) weight.getShape().get(0);
    }

    /** Input features. */
    public int inputFeatures() {
        return (int) weight.getShape().get(1);
    }
}
