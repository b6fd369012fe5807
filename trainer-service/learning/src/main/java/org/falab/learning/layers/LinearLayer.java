package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.falab.contracts.spec.LearningRule;

/** A fully connected layer {@code y = x Wᵀ + b}, W of shape (out, in), input examples x in. */
public final class LinearLayer extends WeightLayer {

    private LinearLayer(String name, NDArray weight, NDArray bias, FeedbackRule rule, boolean errorToInput) {
        super(name, weight, bias, rule, errorToInput);
    }

    /**
     * A layer whose W is xavier-uniform (stream {@code init/<name>.weight}), b zero, and whose
     * rule's fixed tensors are drawn with {@code feedbackInit}, or all restored by the factory.
     *
     * @param errorToInput false if the input is data (a rule may then skip work; the result is the same)
     * @param direct DFA only: the layer's place (null otherwise)
     */
    public static LinearLayer create(String name, int in, int out, LearningRule rule, Initializer feedbackInit,
            boolean errorToInput, FeedbackRule.DirectTarget direct, TensorFactory tensors) {
        Shape shape = new Shape(out, in);
        NDArray w = tensors.create(name + "." + WEIGHT, shape,
                rng -> Initializer.XAVIER_UNIFORM.sample(out * in, in, out, rng));
        NDArray b = tensors.create(name + "." + BIAS, new Shape(out), rng -> new double[out]);
        FeedbackRule r = FeedbackRule.create(rule, name, shape, in, out, feedbackInit, tensors, direct);
        return new LinearLayer(name, w, b, r, errorToInput);
    }

    @Override
    NDArray apply(NDArray input, NDArray w, NDArray b) {
        return Linear.linear(input, w, b).singletonOrThrow();
    }

    @Override
    public String weightLayout() {
        return "out x in";
    }

    /** Input features. */
    public int inputFeatures() {
        return (int) weight().getShape().get(1);
    }
}
