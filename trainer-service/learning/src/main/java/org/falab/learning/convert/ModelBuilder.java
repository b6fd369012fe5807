package org.falab.learning.convert;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import org.falab.learning.data.Datasets;
import org.falab.learning.layers.Conv2dLayer;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.LinearLayer;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.layers.WeightLayer;
import org.falab.learning.models.Cnn;
import org.falab.learning.models.ImageShape;
import org.falab.learning.models.Mlp;
import org.falab.learning.models.Network;
import org.falab.learning.models.ResNet;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.RunSpec;

/**
 * Builds the network a run spec names ({@code model}, {@code hidden}, {@code channels},
 * {@code method}, {@code feedbackInit}, {@code norm}) and reports how many Linear and Conv2d
 * layers it built under the rule, as biotorch's converter reports what it replaced. Every Linear
 * and Conv2d layer, first and last included, gets the spec's rule.
 */
public final class ModelBuilder {

    private ModelBuilder() {}

    /**
     * A built network and what it holds.
     *
     * @param network the network
     * @param rule the rule of every layer
     * @param linear Linear layers built under the rule
     * @param conv2d Conv2d layers built under the rule (shortcut convs included)
     */
    public record Built(Network network, LearningRule rule, int linear, int conv2d) {}

    /**
     * The image shape of one example of a dataset: 1x28x28 for (fashion-)mnist, 3x32x32 for cifar;
     * {@code synthetic} is 32 features, taken as 1x1x32 (an MLP input only).
     */
    public static ImageShape inputShape(Dataset dataset) {
        return switch (dataset) {
            case MNIST, FASHION_MNIST -> new ImageShape(1, 28, 28);
            case CIFAR10, CIFAR100 -> new ImageShape(3, 32, 32);
            case SYNTHETIC -> new ImageShape(1, 1, 32);
        };
    }

    /** The spec's network for the spec's dataset (input shape and classes from {@link #inputShape}, {@link Datasets#classes}). */
    public static Built build(RunSpec spec, TensorFactory tensors) {
        return build(spec, inputShape(spec.dataset()), Datasets.classes(spec.dataset()), tensors);
    }

    /**
     * The spec's network for the given input shape and number of classes.
     *
     * @throws IllegalArgumentException for an unknown model, dfa with a resnet, or an image model on
     *     inputs that are not images
     */
    public static Built build(RunSpec spec, ImageShape input, int classes, TensorFactory tensors) {
        LearningRule rule = spec.method();
        Initializer feedbackInit = Initializer.byName(spec.feedbackInit().jsonName());
        String norm = spec.norm().jsonName();
        if (spec.model() != Model.MLP && input.height() < 2) {
            throw new IllegalArgumentException("model " + spec.model().jsonName() + " needs image inputs, dataset "
                    + spec.dataset().jsonName() + " has " + input.features() + " features");
        }
        Network network = switch (spec.model()) {
            case MLP -> Mlp.create(Mlp.widths(input.features(), spec.hidden(), classes), rule, feedbackInit, norm,
                    tensors);
            case CNN -> Cnn.create(input, spec.channels(), spec.hidden(), classes, rule, feedbackInit, norm, tensors);
            case RESNET18 -> ResNet.resnet18(input, classes, rule, feedbackInit, norm, tensors);
            case RESNET20 -> ResNet.resnet20(input, classes, rule, feedbackInit, norm, tensors);
        };
        int linear = 0;
        int conv = 0;
        for (WeightLayer l : network.layers()) {
            if (l.rule().rule() != rule) {
                throw new IllegalStateException(l.name() + " was built with " + l.rule().rule() + ", not " + rule);
            }
            if (l instanceof LinearLayer) {
                linear++;
            } else if (l instanceof Conv2dLayer) {
                conv++;
            }
        }
        return new Built(network, rule, linear, conv);
    }
}
