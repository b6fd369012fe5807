package org.falab.contracts.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of the network a spec names, from the spec alone, layer by layer as the trainer's {@code ModelBuilder}
 * builds it (mlp, cnn, resnet18, resnet20): so that a spec too large to train is refused before anything is
 * allocated ({@link RunSpecLimits}), and the trainer can estimate a run's memory. Plain Java, no engine: the learning
 * core's {@code ModelSizeTest} checks these counts against networks it builds, so the two cannot drift apart.
 */
public final class ModelSize {

    /** Features of one {@code synthetic} example (the learning core's {@code SyntheticTeacher.INPUTS}). */
    public static final int SYNTHETIC_FEATURES = 32;

    private ModelSize() {
    }

    /**
     * One Linear or Conv2d layer, in the order a forward pass runs it. A Linear layer is a 1x1 "conv" on a 1x1 image:
     * kernel 1 and every height and width 1.
     *
     * @param name the layer's name in tensors and probes, e.g. {@code fc1}, {@code layer2.0.shortcut}
     * @param conv true for Conv2d
     * @param in input features (linear) or channels (conv)
     * @param out output features or channels
     * @param kernel kernel size (1 for linear)
     * @param inHeight input height (1 for linear)
     * @param inWidth input width (1 for linear)
     * @param outHeight output height (1 for linear)
     * @param outWidth output width (1 for linear)
     * @param normalised followed by a norm with a gain and a bias per output (norm batch or layer, not the head)
     * @param head the classifier head (the last layer)
     */
    public record Layer(String name, boolean conv, int in, int out, int kernel, int inHeight, int inWidth,
            int outHeight, int outWidth, boolean normalised, boolean head) {

        /** Values of W: out x in x k x k. */
        public long weights() {
            return (long) out * in * kernel * kernel;
        }

        /** Trainable values: W, the bias, and the norm's gain and bias if any. */
        public long parameters() {
            return weights() + out + (normalised ? 2L * out : 0);
        }

        /** Values of the layer's input per example: in x H x W. */
        public long inputValues() {
            return (long) in * inHeight * inWidth;
        }

        /** Values of the layer's output per example: out x H' x W'. */
        public long outputValues() {
            return (long) out * outHeight * outWidth;
        }
    }

    /** C x H x W of one example of a dataset; {@code synthetic} is 1 x 1 x 32 (flat, an mlp input only). */
    public static int[] inputShape(Dataset dataset) {
        return switch (dataset) {
            case MNIST, FASHION_MNIST -> new int[] {1, 28, 28};
            case CIFAR10, CIFAR100 -> new int[] {3, 32, 32};
            case SYNTHETIC -> new int[] {1, 1, SYNTHETIC_FEATURES};
        };
    }

    /** Classes of a dataset: 100 for cifar100, 10 for every other. */
    public static int classes(Dataset dataset) {
        return dataset == Dataset.CIFAR100 ? 100 : 10;
    }

    /**
     * Every Linear and Conv2d layer of the spec's network, in forward order.
     *
     * @throws IllegalArgumentException for a spec whose network cannot be built (an image model on synthetic data, a
     *     cnn whose pools shrink the image below 1x1); {@link RunSpecRules} names those
     */
    public static List<Layer> layers(RunSpec spec) {
        int[] chw = inputShape(spec.dataset());
        int classes = classes(spec.dataset());
        boolean norm = spec.norm() != Norm.NONE;
        if (spec.model() != Model.MLP && spec.dataset() == Dataset.SYNTHETIC) {
            throw new IllegalArgumentException(spec.model().jsonName() + " needs image inputs");
        }
        List<Layer> layers = new ArrayList<>();
        switch (spec.model()) {
            case MLP -> linears(layers, chw[0] * chw[1] * chw[2], spec.hidden(), classes, norm);
            case CNN -> {
                int c = chw[0];
                int h = chw[1];
                int w = chw[2];
                for (int i = 0; i < spec.channels().size(); i++) {
                    int out = spec.channels().get(i);
                    // 3x3, padding 1, stride 1 keeps H and W; the 2x2 max-pool after the block halves them (floor)
                    layers.add(new Layer("conv" + (i + 1), true, c, out, 3, h, w, h, w, norm, false));
                    c = out;
                    h /= 2;
                    w /= 2;
                    if (h < 1 || w < 1) {
                        throw new IllegalArgumentException("cnn: " + spec.channels().size()
                                + " 2x2 pools shrink the image below 1x1");
                    }
                }
                linears(layers, c * h * w, spec.hidden(), classes, norm);
            }
            case RESNET18 -> resnet(layers, chw, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, classes, norm);
            case RESNET20 -> resnet(layers, chw, new int[] {3, 3, 3}, new int[] {16, 32, 64}, classes, norm);
        }
        return List.copyOf(layers);
    }

    /** Trainable values of the spec's network: weights, biases, norm gains and biases (not B, not BN statistics). */
    public static long parameters(RunSpec spec) {
        return layers(spec).stream().mapToLong(Layer::parameters).sum();
    }

    /**
     * Values of the feedback matrix the spec's rule gives a layer: W's size for fa, usf, brsf and frsf (fa and frsf
     * keep it, usf and brsf make it at every forward), outputs x classes for a dfa hidden layer, none for bp and the
     * dfa head.
     */
    public static long feedbackValues(RunSpec spec, Layer layer) {
        return switch (spec.method()) {
            case BP -> 0;
            case FA, USF, BRSF, FRSF -> layer.weights();
            case DFA -> layer.head() ? 0 : layer.outputValues() * classes(spec.dataset());
        };
    }

    /**
     * Examples in the probe batch at most: {@code probeSize}, or fewer when {@code trainSubset} is smaller (the
     * dataset itself may have fewer still).
     */
    public static int probeExamples(RunSpec spec) {
        return spec.trainSubset() == null ? spec.probeSize() : Math.min(spec.probeSize(), spec.trainSubset());
    }

    /**
     * Values of the largest probe-batch matrix a probe records (the learning core's {@code ErrorSignalProbe}): per
     * layer the error signals (probe examples x output values per example, the same count whether a conv's are laid
     * out as positions x channels or as examples x C·H·W) and the activity (probe examples x input values). The
     * weight, update and feedback matrices a probe also records do not grow with the probe batch: see {@link
     * #parameters} and {@link #feedbackValues}.
     */
    public static long largestProbeMatrix(RunSpec spec) {
        long n = probeExamples(spec);
        long largest = 0;
        for (Layer l : layers(spec)) {
            largest = Math.max(largest, n * Math.max(l.outputValues(), l.inputValues()));
        }
        return largest;
    }

    /** Values of every feedback matrix a run keeps for the whole run (fa, frsf and dfa; {@link #feedbackValues}). */
    public static long keptFeedbackValues(RunSpec spec) {
        if (spec.method() == LearningRule.USF || spec.method() == LearningRule.BRSF) {
            return 0;
        }
        return layers(spec).stream().mapToLong(l -> feedbackValues(spec, l)).sum();
    }

    private static void linears(List<Layer> layers, int inputs, List<Integer> hidden, int classes, boolean norm) {
        int in = inputs;
        for (int i = 0; i <= hidden.size(); i++) {
            boolean head = i == hidden.size();
            int out = head ? classes : hidden.get(i);
            layers.add(new Layer("fc" + (i + 1), false, in, out, 1, 1, 1, 1, 1, norm && !head, head));
            in = out;
        }
    }

    /**
     * CIFAR-style ResNet of BasicBlocks: 3x3 stem, per block conv1 (3x3, the stage's stride), conv2 (3x3) and, where
     * stride or width change, a 1x1 shortcut conv; global average pooling; the head fc. Every conv has a norm.
     */
    private static void resnet(List<Layer> layers, int[] chw, int[] blocks, int[] widths, int classes,
            boolean norm) {
        int h = chw[1];
        int w = chw[2];
        layers.add(new Layer("conv1", true, chw[0], widths[0], 3, h, w, h, w, norm, false));
        int in = widths[0];
        for (int s = 0; s < blocks.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                int out = widths[s];
                String prefix = "layer" + (s + 1) + "." + b + ".";
                int oh = (h + 2 - 3) / stride + 1;
                int ow = (w + 2 - 3) / stride + 1;
                layers.add(new Layer(prefix + "conv1", true, in, out, 3, h, w, oh, ow, norm, false));
                layers.add(new Layer(prefix + "conv2", true, out, out, 3, oh, ow, oh, ow, norm, false));
                if (stride != 1 || in != out) {
                    layers.add(new Layer(prefix + "shortcut", true, in, out, 1, h, w, (h - 1) / stride + 1,
                            (w - 1) / stride + 1, norm, false));
                }
                in = out;
                h = oh;
                w = ow;
            }
        }
        layers.add(new Layer("fc", false, in, classes, 1, 1, 1, 1, 1, false, true));
    }
}
