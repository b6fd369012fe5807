package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.falab.contracts.spec.LearningRule;

/**
 * A 2-D convolution (cross-correlation, as PyTorch) with a square kernel, W of shape
 * (out, in, k, k), input N x C x H x W, zero padding, no dilation, one group.
 */
public final class Conv2dLayer extends WeightLayer {

    private final Shape stride;
    private final Shape padding;
    private static final Shape DILATION = new Shape(1, 1);

    private Conv2dLayer(String name, NDArray weight, NDArray bias, FeedbackRule rule, boolean errorToInput, int stride,
            int padding) {
        super(name, weight, bias, rule, errorToInput);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /**
     * A layer whose W is xavier-uniform (PyTorch fans: in·k·k, out·k·k), b zero, and whose rule's
     * fixed tensors are drawn with {@code feedbackInit}, or all restored by the factory.
     *
     * @param direct DFA only: the layer's place, features = out·H_out·W_out (null otherwise)
     */
    public static Conv2dLayer create(String name, int in, int out, int kernel, int stride, int padding,
            LearningRule rule, Initializer feedbackInit, boolean errorToInput, FeedbackRule.DirectTarget direct,
            TensorFactory tensors) {
        Shape shape = new Shape(out, in, kernel, kernel);
        int fanIn = in * kernel * kernel;
        int fanOut = out * kernel * kernel;
        NDArray w = tensors.create(name + "." + WEIGHT, shape,
                rng -> Initializer.XAVIER_UNIFORM.sample(out * fanIn, fanIn, fanOut, rng));
        NDArray b = tensors.create(name + "." + BIAS, new Shape(out), rng -> new double[out]);
        FeedbackRule r = FeedbackRule.create(rule, name, shape, fanIn, fanOut, feedbackInit, tensors, direct);
        return new Conv2dLayer(name, w, b, r, errorToInput, stride, padding);
    }

    /** Output height or width for an input of the given size. */
    public int outputSize(int inputSize) {
        return outputSize(inputSize, kernel(), (int) stride.get(0), (int) padding.get(0));
    }

    /** Output size of a convolution: floor((n + 2p − k) / s) + 1. */
    public static int outputSize(int n, int kernel, int stride, int padding) {
        return (n + 2 * padding - kernel) / stride + 1;
    }

    /** Kernel size k. */
    public int kernel() {
        return (int) weight().getShape().get(2);
    }

    /** Input channels. */
    public int inputChannels() {
        return (int) weight().getShape().get(1);
    }

    @Override
    NDArray apply(NDArray input, NDArray w, NDArray b) {
        return Conv2d.conv2d(input, w, b, stride, padding, DILATION, 1).singletonOrThrow();
    }

    @Override
    public String weightLayout() {
        return "out x in*kh*kw";
    }
}
