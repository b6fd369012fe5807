package org.falab.learning.data;

import java.util.SplittableRandom;
import org.falab.learning.spec.Seeds;

/**
 * The {@code synthetic} dataset: Gaussian inputs labelled by a fixed random two-layer tanh teacher
 * ({@code argmax(W2 tanh(W1 x))}). Needs no files and is small enough for fast tests, yet is not
 * linearly trivial. The teacher and the examples come from a fixed dataset seed, so "synthetic" is
 * one dataset whatever the run's seed (which only drives initialisation and shuffling).
 */
public final class SyntheticTeacher {

    /** Input dimension. */
    public static final int INPUTS = 32;
    /** Teacher hidden width. */
    public static final int TEACHER_HIDDEN = 64;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Examples in the training split. */
    public static final int TRAIN_EXAMPLES = 4096;
    /** Examples in the test split. */
    public static final int TEST_EXAMPLES = 1024;

    private static final long DATASET_SEED = 0x5EEDFA1AB0L;

    private final double[] w1;
    private final double[] w2;

    private SyntheticTeacher(SplittableRandom rng) {
        w1 = gaussian(TEACHER_HIDDEN * INPUTS, 1.0 / Math.sqrt(INPUTS), rng);
        w2 = gaussian(CLASSES * TEACHER_HIDDEN, 1.0 / Math.sqrt(TEACHER_HIDDEN), rng);
    }

    /** The teacher every run uses. */
    public static SyntheticTeacher standard() {
        return new SyntheticTeacher(Seeds.stream(DATASET_SEED, "synthetic/teacher"));
    }

    /** Raw (unstandardised) training examples. */
    public LabelledExamples trainSplit() {
        return sample(TRAIN_EXAMPLES, Seeds.stream(DATASET_SEED, "synthetic/train"));
    }

    /** Raw (unstandardised) test examples. */
    public LabelledExamples testSplit() {
        return sample(TEST_EXAMPLES, Seeds.stream(DATASET_SEED, "synthetic/test"));
    }

    /** The teacher's label for one input of length {@link #INPUTS}. */
    public int label(float[] x, int offset) {
        double[] h = new double[TEACHER_HIDDEN];
        for (int j = 0; j < TEACHER_HIDDEN; j++) {
            double s = 0;
            for (int i = 0; i < INPUTS; i++) {
                s += w1[j * INPUTS + i] * x[offset + i];
            }
            h[j] = Math.tanh(s);
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            double s = 0;
            for (int j = 0; j < TEACHER_HIDDEN; j++) {
                s += w2[c * TEACHER_HIDDEN + j] * h[j];
            }
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    private LabelledExamples sample(int n, SplittableRandom rng) {
        float[] x = new float[n * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Seeds.gaussian(rng);
        }
        int[] y = new int[n];
        for (int e = 0; e < n; e++) {
            y[e] = label(x, e * INPUTS);
        }
        return new LabelledExamples(x, y, INPUTS, CLASSES);
    }

    private static double[] gaussian(int n, double scale, SplittableRandom rng) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = scale * Seeds.gaussian(rng);
        }
        return out;
    }
}
