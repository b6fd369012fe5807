package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import org.falab.learning.layers.Conv2dLayer;
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
 * A plain CNN: per {@code channels} entry a block {@code convK} (3x3, stride 1, padding 1), its norm
 * ({@code convK.norm}), ReLU and a 2x2 max-pool (stride 2, floor); then flatten and the
 * {@code hidden} linear layers {@code fc1..} with norm and ReLU; then the linear head. Every layer
 * follows the same rule.
 */
public final class Cnn implements Network {

    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PAD = new Shape(0, 0);

    private final ImageShape input;
    private final List<Conv2dLayer> convs;
    private final List<LinearLayer> linears;
    private final List<Norm> convNorms;
    private final List<Norm> linearNorms;
    private final List<WeightLayer> layers;
    private final List<Part> parts;

    private Cnn(ImageShape input, List<Conv2dLayer> convs, List<Norm> convNorms, List<LinearLayer> linears,
            List<Norm> linearNorms) {
        this.input = input;
        this.convs = List.copyOf(convs);
        this.convNorms = List.copyOf(convNorms);
        this.linears = List.copyOf(linears);
        this.linearNorms = List.copyOf(linearNorms);
        List<WeightLayer> l = new ArrayList<>(convs);
        l.addAll(linears);
        this.layers = List.copyOf(l);
        List<Part> p = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            p.add(convs.get(i));
            p.add(convNorms.get(i));
        }
        for (int i = 0; i < linears.size(); i++) {
            p.add(linears.get(i));
            if (i < linearNorms.size()) {
                p.add(linearNorms.get(i));
            }
        }
        this.parts = List.copyOf(p);
    }

    /**
     * @throws IllegalArgumentException if the pools shrink the image below 1x1
     */
    public static Cnn create(ImageShape input, List<Integer> channels, List<Integer> hidden, int classes,
            LearningRule rule, Initializer feedbackInit, String norm, TensorFactory tensors) {
        List<Conv2dLayer> convs = new ArrayList<>();
        List<Norm> convNorms = new ArrayList<>();
        int c = input.channels();
        int h = input.height();
        int w = input.width();
        for (int i = 0; i < channels.size(); i++) {
            int out = channels.get(i);
            String name = "conv" + (i + 1);
            // 3x3, padding 1, stride 1 keeps H and W
            convs.add(Conv2dLayer.create(name, c, out, 3, 1, 1, rule, feedbackInit, i > 0,
                    new FeedbackRule.DirectTarget((long) out * h * w, classes, false), tensors));
            convNorms.add(Norm.create(norm, name + ".norm", out, tensors));
            c = out;
            h /= 2;
            w /= 2;
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("cnn: " + channels.size() + " 2x2 pools shrink a " + input.height()
                        + "x" + input.width() + " image below 1x1");
            }
        }
        int[] widths = Mlp.widths(c * h * w, hidden, classes);
        List<LinearLayer> linears = new ArrayList<>();
        List<Norm> linearNorms = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            String name = Mlp.layerName(i);
            boolean head = i + 2 == widths.length;
            linears.add(LinearLayer.create(name, widths[i], widths[i + 1], rule, feedbackInit, true,
                    new FeedbackRule.DirectTarget(widths[i + 1], classes, head), tensors));
            if (!head) {
                linearNorms.add(Norm.create(norm, name + ".norm", widths[i + 1], tensors));
            }
        }
        return new Cnn(input, convs, convNorms, linears, linearNorms);
    }

    @Override
    public NDArray forward(NDArray x, Pass pass) {
        NDArray h = Images.asImages(x, input);
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).forward(h, pass);
            h = Activation.relu(convNorms.get(i).apply(h, pass));
            h = Pool.maxPool2d(h, POOL, POOL, NO_PAD, false);
        }
        h = h.reshape(h.getShape().get(0), -1);
        for (int i = 0; i < linears.size(); i++) {
            h = linears.get(i).forward(h, pass);
            if (i + 1 < linears.size()) {
                h = Activation.relu(linearNorms.get(i).apply(h, pass));
            }
        }
        return pass.logits(h);
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
