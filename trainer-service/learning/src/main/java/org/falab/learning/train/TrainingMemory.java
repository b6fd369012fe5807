package org.falab.learning.train;

import java.util.List;
import java.util.Locale;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.ModelSize;
import org.falab.contracts.spec.MuonScope;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.optim.Muon;

/**
 * About how many bytes a run's own arrays take at their peak, from its spec and data sizes alone, so that a run too
 * large for its trainer is refused before its model is built ({@link TrainingOptions#memoryBudgetBytes}). Everything
 * is float32. Not counted: the JVM and libtorch themselves (a few hundred MiB), and the full dataset that a subset
 * is drawn from while it is loaded.
 *
 * <p>The run holds throughout: parameters, gradients, kept feedback matrices (fa, frsf, dfa), batch-norm statistics,
 * optimiser state (SGD with momentum: one buffer per parameter; AdamW: two; Muon: one per Muon matrix, two for the
 * rest), the data (features and labels; the training examples a second time on the device, one-hot) and the probe
 * batch. At different moments it adds one of: a training step
 * (every array the forward of one batch makes, which its scope keeps until the update, the gradients in flight,
 * uSF/brSF's feedback made in the forward, the optimiser's temporaries, Muon's Newton-Schulz products), a probe (its
 * batch's passes, one more for the BP twin of a non-BP rule, and the copies it records), an evaluation batch, or a
 * checkpoint being written (a few copies of every saved tensor). The estimate is the first sum plus the largest of
 * these: resnet18 on cifar100 with batch norm, fa and batch 128 comes to about 23 GiB, most of it the probe's two
 * passes over its 256 examples and the copies it records; the demo mlp on fashion-mnist to about 230 MiB, most of it
 * the data.
 */
public final class TrainingMemory {

    private static final long FLOAT = 4;
    /** A layer's output and its ReLU's, which autograd keeps for the backward. */
    private static final int OUTPUT_COPIES = 2;
    /** fa, usf, brsf and frsf add z = op(x, B), z - sg(z) and the sum to every layer but the first. */
    private static final int ASYMMETRIC_COPIES = 3;
    /** A norm keeps the centred values, the variance, the normalised, scaled and shifted values. */
    private static final int NORM_COPIES = 5;
    /** A probe's tap on every layer output: a zero leaf, the sum, and the leaf's gradient (the error signal). */
    private static final int TAP_COPIES = 3;
    /** Copies of a checkpoint's tensors while it is written: values, npy bytes, the ZIP stream and its result. */
    private static final int CHECKPOINT_COPIES = 4;

    private TrainingMemory() {}

    /**
     * The estimate in bytes.
     *
     * @param spec a spec that passes {@link org.falab.contracts.spec.RunSpecChecks}
     * @param trainExamples training examples used (after the subset)
     * @param testExamples test examples used
     * @param featureCount values per example
     */
    public static long estimateBytes(RunSpec spec, int trainExamples, int testExamples, int featureCount) {
        List<ModelSize.Layer> layers = ModelSize.layers(spec);
        int classes = ModelSize.classes(spec.dataset());
        long parameters = layers.stream().mapToLong(ModelSize.Layer::parameters).sum();
        long weights = layers.stream().mapToLong(ModelSize.Layer::weights).sum();
        long feedback = ModelSize.keptFeedbackValues(spec);
        long buffers = spec.norm() == Norm.BATCH
                ? layers.stream().filter(ModelSize.Layer::normalised).mapToLong(l -> 2L * l.out()).sum() : 0;
        long optimizerState = optimizerState(spec, layers, parameters);
        long examples = (long) trainExamples + testExamples;
        long probeExamples = Math.min(spec.probeSize(), trainExamples);

        long held = parameters * 2 + feedback + buffers + optimizerState // parameters and their gradients
                + examples * featureCount + examples // features and int labels
                + (long) trainExamples * (featureCount + classes) // the training examples on the device
                + probeExamples * (featureCount + classes);

        long perExample = activationsPerExample(spec, layers);
        long widest = layers.stream().mapToLong(l -> Math.max(l.inputValues(), l.outputValues())).max().orElse(0);
        // the backward frees each gradient once it has passed it on: about two of the widest layer's at a time
        long step = Math.min(spec.batchSize(), trainExamples) * (perExample + 2 * widest + featureCount + classes)
                + (spec.method() == LearningRule.USF || spec.method() == LearningRule.BRSF ? 2 * weights : 0)
                + optimizerTemporaries(spec, layers, parameters);
        long recorded = 0;
        int passes = spec.method() == LearningRule.BP ? 1 : 2;
        for (ModelSize.Layer l : layers) {
            recorded += probeExamples * (l.outputValues() * passes + l.inputValues()) + l.weights()
                    + ModelSize.feedbackValues(spec, l);
        }
        // one scope holds both passes (the rule's and the BP twin's), each with its taps and their gradients
        long probe = probeExamples * (perExample + TAP_COPIES * outputs(layers)) * passes
                + 2 * recorded // a float32 copy on the engine, then the Java array
                + 3 * weights; // the update probe: weights before and after, their difference
        long evaluation = Math.min(Evaluation.BATCH, Math.max(testExamples, 1)) * (perExample + featureCount);
        long checkpoint = CHECKPOINT_COPIES * (parameters + feedback + buffers + optimizerState);

        long peak = Math.max(Math.max(step, probe), Math.max(evaluation, checkpoint));
        return FLOAT * (held + peak);
    }

    /** Bytes as MiB with one decimal, for messages. */
    public static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static long outputs(List<ModelSize.Layer> layers) {
        return layers.stream().mapToLong(ModelSize.Layer::outputValues).sum();
    }

    /** Values a training forward keeps per example. */
    private static long activationsPerExample(RunSpec spec, List<ModelSize.Layer> layers) {
        boolean asymmetric = switch (spec.method()) {
            case FA, USF, BRSF, FRSF -> true;
            case BP, DFA -> false;
        };
        long values = 0;
        for (int i = 0; i < layers.size(); i++) {
            ModelSize.Layer l = layers.get(i);
            int copies = OUTPUT_COPIES + (asymmetric && i > 0 ? ASYMMETRIC_COPIES : 0)
                    + (l.normalised() ? NORM_COPIES : 0);
            values += l.outputValues() * copies;
        }
        return values;
    }

    private static long optimizerState(RunSpec spec, List<ModelSize.Layer> layers, long parameters) {
        return switch (spec.optimizer()) {
            case SGD -> spec.momentum() > 0 ? parameters : 0;
            case ADAMW -> 2 * parameters;
            case MUON -> {
                long muon = muonMatrices(spec, layers).stream().mapToLong(ModelSize.Layer::weights).sum();
                yield muon + 2 * (parameters - muon);
            }
        };
    }

    /**
     * What an update creates inside its scope: a few arrays of every parameter's size (SGD's decayed gradient and
     * step; AdamW's squared gradient, root, quotient and step), and for Muon all of every matrix's Newton-Schulz
     * products (A = XXᵀ, A², bA + cA², their product with X, per iteration), which one scope keeps until the end of the
     * update.
     */
    private static long optimizerTemporaries(RunSpec spec, List<ModelSize.Layer> layers, long parameters) {
        if (spec.optimizer() == OptimizerKind.SGD) {
            return 2 * parameters;
        }
        long temporaries = 4 * parameters;
        if (spec.optimizer() == OptimizerKind.MUON) {
            for (ModelSize.Layer l : muonMatrices(spec, layers)) {
                long rows = Math.min(l.out(), l.weights() / l.out());
                long cols = Math.max(l.out(), l.weights() / l.out());
                temporaries += Muon.NS_STEPS * (3 * rows * rows + 2 * rows * cols) + 4 * rows * cols;
            }
        }
        return temporaries;
    }

    /**
     * The layers whose weight Muon updates (Optimizers.muonSplit): all but the first and the head, or with
     * {@code muonScope} all every layer.
     */
    private static List<ModelSize.Layer> muonMatrices(RunSpec spec, List<ModelSize.Layer> layers) {
        if (spec.muonScope() == MuonScope.ALL) {
            return layers;
        }
        return layers.size() <= 2 ? List.of() : layers.subList(1, layers.size() - 1);
    }
}
