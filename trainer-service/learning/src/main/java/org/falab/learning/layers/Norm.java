package org.falab.learning.layers;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hidden-activity normalisation applied to a Linear or Conv2d output, before its non-linearity:
 * {@code none}, {@code batch} or {@code layer} (a run spec's {@code norm}). Works on examples x
 * features and on N x C x H x W. Gains (init 1) and biases (init 0) are {@link Parameter.Kind#NORM}
 * parameters {@code <name>.gain}, {@code <name>.bias}, one per feature or channel; eps = 1e-5.
 */
public abstract sealed class Norm implements Part {

    /** Variance floor, as PyTorch. */
    public static final double EPS = 1e-5;
    /** Weight of the newest batch in the running statistics, as PyTorch's momentum 0.1. */
    public static final double MOMENTUM = 0.1;

    private Norm() {}

    /** The normalised activity. */
    public abstract NDArray apply(NDArray x, Pass pass);

    /**
     * @param kind {@code none}, {@code batch} or {@code layer}
     * @param name tensor name prefix, e.g. {@code "fc1.norm"}
     * @param features features (linear) or channels (conv)
     */
    public static Norm create(String kind, String name, int features, TensorFactory tensors) {
        return switch (kind) {
            case "none" -> new Identity();
            case "batch" -> new BatchNorm(name, features, tensors);
            case "layer" -> new LayerNorm(name, features, tensors);
            default -> throw new IllegalArgumentException("unknown norm '" + kind + "'");
        };
    }

    /** No normalisation. */
    public static final class Identity extends Norm {
        @Override
        public NDArray apply(NDArray x, Pass pass) {
            return x;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }
    }

    /** Shared gain and bias handling. */
    abstract static sealed class Affine extends Norm {
        final NDArray gain;
        final NDArray bias;
        private final List<Parameter> parameters;

        Affine(String name, int features, TensorFactory tensors) {
            gain = tensors.create(name + ".gain", new Shape(features), rng -> filled(features, 1));
            bias = tensors.create(name + ".bias", new Shape(features), rng -> new double[features]);
            gain.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            parameters = List.of(new Parameter(name + ".gain", gain, Parameter.Kind.NORM),
                    new Parameter(name + ".bias", bias, Parameter.Kind.NORM));
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        /** (x − mean) / sqrt(var + eps) · gain + bias, gain and bias broadcast over the feature/channel axis 1. */
        static NDArray affine(NDArray x, NDArray mean, NDArray var, NDArray gain, NDArray bias) {
            Shape s = broadcastShape(x, gain);
            return x.sub(mean).div(var.add(EPS).sqrt()).mul(gain.reshape(s)).add(bias.reshape(s));
        }

        static Shape broadcastShape(NDArray x, NDArray perChannel) {
            long[] dims = new long[x.getShape().dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[1] = perChannel.getShape().get(0);
            return new Shape(dims);
        }
    }

    /**
     * Batch normalisation: statistics per feature (per channel over N, H, W for conv) of the batch
     * in train and probe passes (biased variance), running statistics in eval passes. Train passes
     * update {@code running = (1 − 0.1)·running + 0.1·batch} with the unbiased batch variance, as
     * {@code torch.nn.BatchNorm1d/2d}; probes leave them alone. Running mean/var are buffers
     * {@code <name>.running-mean}, {@code <name>.running-var} (init 0 and 1), saved in checkpoints.
     */
    public static final class BatchNorm extends Affine {
        private final NDArray runningMean;
        private final NDArray runningVar;
        private final String name;

        BatchNorm(String name, int features, TensorFactory tensors) {
            super(name, features, tensors);
            this.name = name;
            runningMean = tensors.create(name + ".running-mean", new Shape(features), rng -> new double[features]);
            runningVar = tensors.create(name + ".running-var", new Shape(features), rng -> filled(features, 1));
        }

        /**
         * The engine's fused batch norm ({@code torch.batch_norm}: one kernel forward and one backward, where the same
         * formula in element-wise operations took about a dozen passes over the activity each way). A probe hands it
         * copies of the running statistics, so that they stay as they were.
         */
        @Override
        public NDArray apply(NDArray x, Pass pass) {
            boolean batchStatistics = pass.mode() != Pass.Mode.EVAL;
            if (batchStatistics && x.getShape().size() == gain.getShape().get(0)) {
                // one value per feature (a last batch of one example): the engine refuses it, the formula gives 0
                return oneValuePerFeature(x, pass);
            }
            NDArray mean = pass.mode() == Pass.Mode.PROBE ? runningMean.duplicate() : runningMean;
            NDArray var = pass.mode() == Pass.Mode.PROBE ? runningVar.duplicate() : runningVar;
            return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) mean, (PtNDArray) var, (PtNDArray) gain,
                    (PtNDArray) bias, batchStatistics, MOMENTUM, EPS);
        }

        /** Batch statistics of a single example, by the formula: its own values (variance 0); running ones move to them. */
        private NDArray oneValuePerFeature(NDArray x, Pass pass) {
            int[] axes = x.getShape().dimension() == 2 ? new int[] {0} : new int[] {0, 2, 3};
            NDArray mean = mean(x, axes);
            NDArray var = mean(x.sub(mean).square(), axes);
            if (pass.mode() == Pass.Mode.TRAIN) {
                // the unbiased variance of one value is undefined: the biased one (0) goes in
                runningMean.muli(1 - MOMENTUM).addi(mean.stopGradient().reshape(gain.getShape()).mul(MOMENTUM));
                runningVar.muli(1 - MOMENTUM).addi(var.stopGradient().reshape(gain.getShape()).mul(MOMENTUM));
            }
            return affine(x, mean, var, gain, bias);
        }

        /** Running mean (a live view; copy before keeping). */
        public NDArray runningMean() {
            return runningMean;
        }

        /** Running variance (a live view; copy before keeping). */
        public NDArray runningVar() {
            return runningVar;
        }

        @Override
        public Map<String, NDArray> buffers() {
            Map<String, NDArray> out = new LinkedHashMap<>();
            out.put(name + ".running-mean", runningMean);
            out.put(name + ".running-var", runningVar);
            return out;
        }
    }

    /**
     * Layer normalisation per example: over the features (linear) or over C, H and W together
     * (conv, i.e. GroupNorm with one group), with a gain and bias per feature or channel. The same in
     * every mode; no running statistics.
     */
    public static final class LayerNorm extends Affine {
        LayerNorm(String name, int features, TensorFactory tensors) {
            super(name, features, tensors);
        }

        @Override
        public NDArray apply(NDArray x, Pass pass) {
            if (x.getShape().dimension() == 2) {
                // the engine's fused layer norm: its gain and bias are per feature, as here
                return JniUtils.layerNorm((PtNDArray) x, gain.getShape(), (PtNDArray) gain, (PtNDArray) bias, EPS);
            }
            int[] axes = new int[] {1, 2, 3};
            NDArray mean = mean(x, axes);
            NDArray var = mean(x.sub(mean).square(), axes);
            return affine(x, mean, var, gain, bias);
        }
    }

    /** Mean over the axes, kept as size-1 dimensions (the engine reduces one axis per call). */
    static NDArray mean(NDArray x, int[] axes) {
        NDArray m = x;
        for (int i = axes.length - 1; i >= 0; i--) {
            m = m.mean(new int[] {axes[i]}, true);
        }
        return m;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
