package org.falab.learning.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.falab.contracts.spec.LearningRule;

/**
 * The backward half of a learning rule, as a strategy a {@link WeightLayer} holds (biotorch keeps
 * the rule apart from the layer too). Every rule gives W and b their true local gradient
 * (δᵀx; for conv the correlation of x with δ); they differ in what reaches the layer's input.
 *
 * <p>Asymmetric rules (FA, uSF, brSF, frSF) use the stop-gradient identity of science.md:
 * {@code y = op(sg(x), W, b) + z − sg(z)}, {@code z = op(x, B)}, op the layer's linear map or
 * convolution (same stride and padding). The value is {@code op(x, W, b)}; the only path back to x
 * is through z, whose backward is δ·B (linear) or the transposed convolution of δ with B (conv).
 * They differ only in B. DFA detaches every layer input and instead registers a projection of its
 * output onto the classes with the {@link Pass}, see {@link Direct}.
 */
public abstract sealed class FeedbackRule {

    /** Suffix of a fixed feedback matrix's tensor name. */
    public static final String FEEDBACK = "feedback";
    /** Suffix of frSF's fixed magnitude tensor name. */
    public static final String FEEDBACK_MAGNITUDE = "feedback-magnitude";

    private FeedbackRule() {}

    /** The rule this strategy implements. */
    public abstract LearningRule rule();

    /** The layer's output under this rule (the pass is not in backprop mode). */
    abstract NDArray forward(WeightLayer layer, NDArray input);

    /** Sees the (hooked) output after the forward; only DFA uses it. */
    void afterOutput(WeightLayer layer, NDArray output, Pass pass) {}

    /**
     * The feedback matrix the rule sends errors through now, detached: W's shape for the
     * asymmetric rules (for brSF a fresh draw, as in a step), (outputs·positions) x classes for a
     * DFA hidden layer; null for BP and the DFA head.
     */
    public abstract NDArray feedback(WeightLayer layer);

    /**
     * For a hand-written Linear backward: the matrix M (out x in) through which the error δ at the layer's output
     * reaches its input, δ_in = δ·M (W for BP, B for the asymmetric rules, drawn now for brSF as at a forward);
     * null when nothing reaches the input (DFA, whose errors arrive directly).
     */
    public abstract NDArray inputErrorMatrix(WeightLayer layer);

    /** Tensors to save with the layer. */
    Map<String, NDArray> frozenTensors(String layerName) {
        return Map.of();
    }

    /**
     * Builds the strategy for a layer, drawing its fixed tensors from {@code tensors} (stream
     * {@code init/<layer>.feedback}, independent of W) with {@code feedbackInit}.
     *
     * @param weightShape (out, in) or (out, in, kh, kw)
     * @param direct DFA only: where the layer sits relative to the output
     */
    public static FeedbackRule create(LearningRule rule, String layerName, Shape weightShape, int fanIn, int fanOut,
            Initializer feedbackInit, TensorFactory tensors, DirectTarget direct) {
        int count = Math.toIntExact(weightShape.size());
        return switch (rule) {
            case BP -> new Backprop();
            case FA -> new Fixed(frozen(tensors.create(layerName + "." + FEEDBACK, weightShape,
                    rng -> feedbackInit.sample(count, fanIn, fanOut, rng))));
            case USF -> new Sign();
            case BRSF -> new BatchRandomSign(Initializer.bound(feedbackInit, fanIn, fanOut));
            case FRSF -> new FixedRandomSign(frozen(tensors.create(layerName + "." + FEEDBACK_MAGNITUDE, weightShape,
                    rng -> abs(feedbackInit.sample(count, fanIn, fanOut, rng)))));
            case DFA -> {
                if (direct == null) {
                    throw new IllegalArgumentException(layerName + ": DFA needs the layer's place in the network");
                }
                if (direct.head()) {
                    yield new Direct(null);
                }
                int features = Math.toIntExact(direct.features());
                // B_l: features x classes, so that δ_l = e·B_lᵀ; fans as for a layer classes -> features
                yield new Direct(frozen(tensors.create(layerName + "." + FEEDBACK, new Shape(features, direct.classes()),
                        rng -> feedbackInit.sample(features * direct.classes(), direct.classes(), features, rng))));
            }
        };
    }

    /**
     * Where a DFA layer sits: the head receives e itself; a hidden layer with {@code features}
     * outputs per example (C·H·W for conv) receives e·B_lᵀ.
     */
    public record DirectTarget(long features, int classes, boolean head) {}

    private static NDArray frozen(NDArray a) {
        a.setRequiresGradient(false);
        return a;
    }

    private static double[] abs(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return v;
    }

    /** Backpropagation: autograd's own backward, dL/dx through W. */
    public static final class Backprop extends FeedbackRule {
        @Override
        public LearningRule rule() {
            return LearningRule.BP;
        }

        @Override
        NDArray forward(WeightLayer layer, NDArray input) {
            return layer.apply(input, layer.weight(), layer.bias());
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            return null;
        }

        @Override
        public NDArray inputErrorMatrix(WeightLayer layer) {
            return layer.weight();
        }
    }

    /** The rules whose input gradient goes through a matrix B of W's shape. */
    public abstract static sealed class Asymmetric extends FeedbackRule {
        private Asymmetric() {}

        @Override
        NDArray forward(WeightLayer layer, NDArray input) {
            NDArray local = layer.apply(input.stopGradient(), layer.weight(), layer.bias());
            if (!layer.errorToInput()) {
                // the input is data: nothing upstream needs dL/dx, so skip the extra op. (DJL's
                // hasGradient() is false for every non-leaf array, so it cannot decide this.)
                return local;
            }
            NDArray z = layer.apply(input, feedback(layer), null);
            return local.add(z.sub(z.stopGradient()));
        }

        @Override
        public NDArray inputErrorMatrix(WeightLayer layer) {
            return feedback(layer);
        }
    }

    /** FA: a fixed random B drawn once, independent of W. */
    public static final class Fixed extends Asymmetric {
        private final NDArray matrix;

        Fixed(NDArray matrix) {
            this.matrix = matrix;
        }

        @Override
        public LearningRule rule() {
            return LearningRule.FA;
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            return matrix;
        }

        @Override
        Map<String, NDArray> frozenTensors(String layerName) {
            return Map.of(layerName + "." + FEEDBACK, matrix);
        }
    }

    /** uSF: B = sign(W), recomputed from the current W at every forward. */
    public static final class Sign extends Asymmetric {
        @Override
        public LearningRule rule() {
            return LearningRule.USF;
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            return layer.weight().stopGradient().sign();
        }
    }

    /**
     * brSF: B = |M| ∘ sign(W) with M redrawn at every forward (every batch) from U(-a, a), a the
     * bound of the feedback initialiser for W's fans; |M| is U(0, a). Drawn by the engine's
     * generator (seeded from the run's seed), not a named stream. biotorch's docstring states |M|;
     * its code multiplies the signed draw, which is not sign-concordant: we follow the docstring.
     */
    public static final class BatchRandomSign extends Asymmetric {
        private final double bound;

        BatchRandomSign(double bound) {
            this.bound = bound;
        }

        @Override
        public LearningRule rule() {
            return LearningRule.BRSF;
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            NDArray w = layer.weight().stopGradient();
            NDArray magnitude = w.getManager().randomUniform(0f, (float) bound, w.getShape(), w.getDataType());
            return magnitude.mul(w.sign());
        }
    }

    /**
     * frSF: B = |M| ∘ sign(W) with M drawn once from the feedback initialiser (saved as
     * {@code <layer>.feedback-magnitude}); the signs follow W at every forward.
     */
    public static final class FixedRandomSign extends Asymmetric {
        private final NDArray magnitude;

        FixedRandomSign(NDArray magnitude) {
            this.magnitude = magnitude;
        }

        @Override
        public LearningRule rule() {
            return LearningRule.FRSF;
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            return layer.weight().stopGradient().sign().mul(magnitude);
        }

        @Override
        Map<String, NDArray> frozenTensors(String layerName) {
            return Map.of(layerName + "." + FEEDBACK_MAGNITUDE, magnitude);
        }
    }

    /**
     * DFA (Nøkland 2016): the layer's input is detached, so W and b get δ_lᵀx and nothing flows to
     * earlier layers through it. A hidden layer registers {@code p = flat(y)·B_l} (examples x
     * classes) with the pass; the network adds {@code p − sg(p)} to its logits, so the layer's
     * output receives exactly δ_l = e·B_lᵀ (reshaped to the output's shape), e = ∂L/∂logits. The
     * head has no B and receives e. Unlike biotorch, which broadcasts e over positions and replaces
     * the input gradient of the next layer, B_l spans every output position (C·H·W x classes).
     */
    public static final class Direct extends FeedbackRule {
        private final NDArray matrix;

        Direct(NDArray matrix) {
            this.matrix = matrix;
        }

        @Override
        public LearningRule rule() {
            return LearningRule.DFA;
        }

        @Override
        NDArray forward(WeightLayer layer, NDArray input) {
            return layer.apply(input.stopGradient(), layer.weight(), layer.bias());
        }

        @Override
        void afterOutput(WeightLayer layer, NDArray output, Pass pass) {
            if (matrix != null) {
                pass.addDirectProjection(output.reshape(output.getShape().get(0), -1).matMul(matrix));
            }
        }

        @Override
        public NDArray inputErrorMatrix(WeightLayer layer) {
            return null;
        }

        /** True for the head (no B). */
        public boolean head() {
            return matrix == null;
        }

        @Override
        public NDArray feedback(WeightLayer layer) {
            return matrix;
        }

        @Override
        Map<String, NDArray> frozenTensors(String layerName) {
            return matrix == null ? Map.of() : Map.of(layerName + "." + FEEDBACK, matrix);
        }
    }
}
