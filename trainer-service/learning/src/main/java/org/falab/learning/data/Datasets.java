package org.falab.learning.data;

import java.io.IOException;
import org.falab.learning.spec.RunSpec;
import org.falab.learning.spec.Seeds;

/**
 * Loads the splits a {@link RunSpec} names. Images are flattened and scaled to [0, 1], then
 * standardised with the mean and std of the training examples actually used (after the subset),
 * since those are the data the model sees.
 */
public final class Datasets {

    /** Classes of every dataset supported so far. */
    public static final int CLASSES = 10;

    private Datasets() {}

    /** Training and test splits for the spec's dataset, subset and standardised. */
    public static DataSplits load(RunSpec spec, DatasetSource source) throws IOException {
        LabelledExamples train = rawTrain(spec, source);
        if (spec.trainSubset() != null && spec.trainSubset() < train.size()) {
            int[] order = Seeds.permutation(train.size(), Seeds.stream(spec.seed(), "data/train-subset"));
            train = train.select(order, spec.trainSubset());
        }
        Standardisation st = Standardisation.of(train.rawFeatures());
        st.applyInPlace(train.rawFeatures());
        return new DataSplits(train, loadTest(spec, source, st), st);
    }

    /** The test split only, standardised with statistics saved earlier (e.g. in a checkpoint). */
    public static LabelledExamples loadTest(RunSpec spec, DatasetSource source, Standardisation st) throws IOException {
        LabelledExamples test = switch (spec.dataset()) {
            case "synthetic" -> SyntheticTeacher.standard().testSplit();
            default -> idx(source, spec.dataset(), Idx.TEST_IMAGES, Idx.TEST_LABELS);
        };
        if (spec.testSubset() != null && spec.testSubset() < test.size()) {
            int[] identity = new int[test.size()];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i;
            }
            test = test.select(identity, spec.testSubset());
        }
        st.applyInPlace(test.rawFeatures());
        return test;
    }

    private static LabelledExamples rawTrain(RunSpec spec, DatasetSource source) throws IOException {
        return switch (spec.dataset()) {
            case "synthetic" -> SyntheticTeacher.standard().trainSplit();
            default -> idx(source, spec.dataset(), Idx.TRAIN_IMAGES, Idx.TRAIN_LABELS);
        };
    }

    /** Images and labels from a pair of IDX files, flattened, scaled to [0, 1]. */
    public static LabelledExamples idx(DatasetSource source, String dataset, String imagesName, String labelsName)
            throws IOException {
        IdxArray images = Idx.read(source, dataset, imagesName);
        IdxArray labels = Idx.read(source, dataset, labelsName);
        if (images.count() != labels.count()) {
            throw new IOException(dataset + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        byte[] pixels = images.values();
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = (pixels[i] & 0xFF) / 255f;
        }
        byte[] raw = labels.values();
        int[] y = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            y[i] = raw[i] & 0xFF;
        }
        return new LabelledExamples(features, y, images.itemSize(), CLASSES);
    }
}
