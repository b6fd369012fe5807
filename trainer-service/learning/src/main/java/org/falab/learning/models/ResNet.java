package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.falab.learning.layers.Conv2dLayer;
import org.falab.learning.layers.Initializer;
import org.falab.learning.layers.LinearLayer;
import org.falab.learning.layers.Norm;
import org.falab.learning.layers.Part;
import org.falab.learning.layers.Pass;
import org.falab.learning.layers.TensorFactory;
import org.falab.learning.layers.WeightLayer;
import org.falab.contracts.spec.LearningRule;

/**
 * CIFAR-style ResNet of BasicBlocks: stem {@code conv1} (3x3, stride 1, padding 1, no max-pool),
 * stages {@code layerS.B} of blocks ({@code conv1} 3x3 with the stage's stride, norm, ReLU,
 * {@code conv2} 3x3, norm, plus the shortcut, ReLU), global average pooling and the linear head
 * {@code fc}. The first block of a stage that changes stride or width has a {@code shortcut}: a 1x1
 * conv (with the stage's stride) and its norm, a Conv2d layer under the run's rule like the others
 * (projection shortcut, "option B"). Norm {@code batch}: BatchNorm (the usual ResNet);
 * {@code layer}: GroupNorm with one group (see {@link Norm.LayerNorm}); {@code none}: no norm.
 * Not for DFA (no direct feedback through residual sums).
 */
public final class ResNet implements Network {

    private final ImageShape input;
    private final Conv2dLayer stem;
    private final Norm stemNorm;
    private final List<Block> blocks;
    private final LinearLayer head;
    private final List<WeightLayer> layers;
    private final List<Part> parts;

    private record Block(Conv2dLayer conv1, Norm norm1, Conv2dLayer conv2, Norm norm2, Conv2dLayer shortcut,
            Norm shortcutNorm) {}

    private ResNet(ImageShape input, Conv2dLayer stem, Norm stemNorm, List<Block> blocks, LinearLayer head) {
        this.input = input;
        this.stem = stem;
        this.stemNorm = stemNorm;
        this.blocks = List.copyOf(blocks);
        this.head = head;
        List<WeightLayer> l = new ArrayList<>();
        List<Part> p = new ArrayList<>();
        l.add(stem);
        p.add(stem);
        p.add(stemNorm);
        for (Block b : blocks) {
            // the order forward runs them in
            l.add(b.conv1());
            l.add(b.conv2());
            p.add(b.conv1());
            p.add(b.norm1());
            p.add(b.conv2());
            p.add(b.norm2());
            if (b.shortcut() != null) {
                l.add(b.shortcut());
                p.add(b.shortcut());
                p.add(b.shortcutNorm());
            }
        }
        l.add(head);
        p.add(head);
        this.layers = List.copyOf(l);
        this.parts = List.copyOf(p);
    }

    /** ResNet-18 for CIFAR: BasicBlocks [2, 2, 2, 2], widths 64-128-256-512. */
    public static ResNet resnet18(ImageShape input, int classes, LearningRule rule, Initializer feedbackInit,
            String norm, TensorFactory tensors) {
        return create(input, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, classes, rule, feedbackInit, norm,
                tensors);
    }

    /** ResNet-20 for CIFAR (He et al. 2016): 3 stages of 3 BasicBlocks, widths 16-32-64. */
    public static ResNet resnet20(ImageShape input, int classes, LearningRule rule, Initializer feedbackInit,
            String norm, TensorFactory tensors) {
        return create(input, new int[] {3, 3, 3}, new int[] {16, 32, 64}, classes, rule, feedbackInit, norm, tensors);
    }

    /**
     * A ResNet with {@code blocks[s]} BasicBlocks of width {@code widths[s]} in stage s; the stem has
     * {@code widths[0]} channels, stages after the first start with stride 2.
     *
     * @throws IllegalArgumentException for DFA
     */
    public static ResNet create(ImageShape input, int[] blocks, int[] widths, int classes, LearningRule rule,
            Initializer feedbackInit, String norm, TensorFactory tensors) {
        if (rule == LearningRule.DFA) {
            throw new IllegalArgumentException("dfa is supported for mlp and cnn only, not for resnets");
        }
        Conv2dLayer stem = Conv2dLayer.create("conv1", input.channels(), widths[0], 3, 1, 1, rule, feedbackInit, false,
                null, tensors);
        Norm stemNorm = Norm.create(norm, "conv1.norm", widths[0], tensors);
        List<Block> list = new ArrayList<>();
        int in = widths[0];
        for (int s = 0; s < blocks.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                int out = widths[s];
                String prefix = "layer" + (s + 1) + "." + b + ".";
                Conv2dLayer c1 = Conv2dLayer.create(prefix + "conv1", in, out, 3, stride, 1, rule, feedbackInit, true,
                        null, tensors);
                Norm n1 = Norm.create(norm, prefix + "conv1.norm", out, tensors);
                Conv2dLayer c2 = Conv2dLayer.create(prefix + "conv2", out, out, 3, 1, 1, rule, feedbackInit, true, null,
                        tensors);
                Norm n2 = Norm.create(norm, prefix + "conv2.norm", out, tensors);
                Conv2dLayer sc = null;
                Norm scn = null;
                if (stride != 1 || in != out) {
                    sc = Conv2dLayer.create(prefix + "shortcut", in, out, 1, stride, 0, rule, feedbackInit, true, null,
                            tensors);
                    scn = Norm.create(norm, prefix + "shortcut.norm", out, tensors);
                }
                list.add(new Block(c1, n1, c2, n2, sc, scn));
                in = out;
            }
        }
        LinearLayer head = LinearLayer.create("fc", in, classes, rule, feedbackInit, true, null, tensors);
        return new ResNet(input, stem, stemNorm, list, head);
    }

    @Override
    public NDArray forward(NDArray x, Pass pass) {
        NDArray h = Images.asImages(x, input);
        h = Activation.relu(stemNorm.apply(stem.forward(h, pass), pass));
        for (Block b : blocks) {
            NDArray main = Activation.relu(b.norm1().apply(b.conv1().forward(h, pass), pass));
            main = b.norm2().apply(b.conv2().forward(main, pass), pass);
            NDArray identity = b.shortcut() == null ? h : b.shortcutNorm().apply(b.shortcut().forward(h, pass), pass);
            h = Activation.relu(main.add(identity));
        }
        // global average pooling (the engine reduces one axis per call)
        h = h.mean(new int[] {3}).mean(new int[] {2});
        return pass.logits(head.forward(h, pass));
    }

    @Override
    public List<WeightLayer> layers() {
        return layers;
    }

    @Override
    public List<Part> parts() {
        return parts;
    }
}
