package org.falab.learning.data;

/**
 * Examples held in memory: a flattened, standardised feature row per example and an integer class.
 * Kept as Java arrays so that batches can be assembled in any order without engine calls.
 */
public final class LabelledExamples {

    private final float[] features;
    private final int[] labels;
    private final int featureCount;
    private final int classCount;
    private final int[] imageShape;

    /**
     * @param features row-major, {@code labels.length x featureCount}
     * @param labels class indices in {@code [0, classCount)}
     */
    public LabelledExamples(float[] features, int[] labels, int featureCount, int classCount) {
        this(features, labels, featureCount, classCount, null);
    }

    private LabelledExamples(float[] features, int[] labels, int featureCount, int classCount, int[] imageShape) {
        if (imageShape != null && (long) imageShape[0] * imageShape[1] * imageShape[2] != featureCount) {
            throw new IllegalArgumentException("image shape does not hold featureCount values");
        }
        if ((long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException("features do not match labels x featureCount");
        }
        for (int label : labels) {
            if (label < 0 || label >= classCount) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classCount + ")");
            }
        }
        this.features = features;
        this.labels = labels;
        this.featureCount = featureCount;
        this.classCount = classCount;
        this.imageShape = imageShape == null ? null : imageShape.clone();
    }

    /**
     * The same examples (shared, not copied) seen as images of shape C x H x W: {@link Batch} then makes
     * N x C x H x W inputs. Null for flat examples (N x features).
     */
    public LabelledExamples withImageShape(int[] chw) {
        return new LabelledExamples(features, labels, featureCount, classCount, chw);
    }

    /** C x H x W of an example if it is an image, else null. */
    public int[] imageShape() {
        return imageShape == null ? null : imageShape.clone();
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Values per example. */
    public int featureCount() {
        return featureCount;
    }

    /** Number of classes. */
    public int classCount() {
        return classCount;
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Copies the features of the given examples into a new row-major array. */
    public float[] gatherFeatures(int[] indices, int from, int to) {
        float[] out = new float[(to - from) * featureCount];
        for (int r = from; r < to; r++) {
            System.arraycopy(features, indices[r] * featureCount, out, (r - from) * featureCount, featureCount);
        }
        return out;
    }

    /** Labels of the given examples. */
    public int[] gatherLabels(int[] indices, int from, int to) {
        int[] out = new int[to - from];
        for (int r = from; r < to; r++) {
            out[r - from] = labels[indices[r]];
        }
        return out;
    }

    /** The first {@code n} examples in the given order, as a new set. */
    public LabelledExamples select(int[] order, int n) {
        return new LabelledExamples(gatherFeatures(order, 0, n), gatherLabels(order, 0, n), featureCount, classCount,
                imageShape);
    }

    /** Read-only view for statistics; do not modify. */
    float[] rawFeatures() {
        return features;
    }
}
