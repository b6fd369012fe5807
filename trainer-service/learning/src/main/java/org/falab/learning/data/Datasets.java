package org.falab.learning.data;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.Model;
import java.io.IOException;
import org.falab.contracts.spec.RunSpec;
import org.falab.learning.spec.Seeds;

/**
 * Loads the splits a {@link RunSpec} names. Pixels are scaled to [0, 1], then standardised per channel with the mean
 * and std of the training examples actually used (after the subset), since those are the data the model sees; the
 * values are saved in checkpoints. On the full training splits this gives the usual constants: CIFAR-10 means
 * (0.4914, 0.4822, 0.4465), stds (0.2470, 0.2435, 0.2616); CIFAR-100 (0.5071, 0.4865, 0.4409), (0.2673, 0.2564,
 * 0.2762) (population stds over all pixels).
 *
 * <p>Shapes: every model but {@code mlp} gets images, N x C x H x W (fashion-mnist and mnist 1 x 28 x 28, CIFAR
 * 3 x 32 x 32); {@code mlp} gets flat rows. {@code synthetic} has no image form: it is flat, mlp only.
 */
public final class Datasets {

    /** Classes of fashion-mnist, mnist, synthetic and cifar10; see {@link #classes}. */
    public static final int CLASSES = 10;

    private Datasets() {}

    /** Number of classes of a dataset (cifar100: 100, every other: 10). */
    public static int classes(Dataset dataset) {
        return dataset == Dataset.CIFAR100 ? 100 : CLASSES;
    }

    /** C x H x W of a dataset's images, or null for {@code synthetic}. */
    public static int[] imageShape(Dataset dataset) {
        return switch (dataset) {
            case CIFAR10, CIFAR100 -> Cifar.SHAPE.clone();
            case SYNTHETIC -> null;
            case MNIST, FASHION_MNIST -> new int[] {1, 28, 28};
        };
    }

    /** Training and test splits for the spec's dataset, subset and standardised. */
    public static DataSplits load(RunSpec spec, DatasetSource source) throws IOException {
        LabelledExamples train = rawTrain(spec, source);
        if (spec.trainSubset() != null && spec.trainSubset() < train.size()) {
            int[] order = Seeds.permutation(train.size(), Seeds.stream(spec.seed(), "data/train-subset"));
            train = train.select(order, spec.trainSubset());
        }
        int[] chw = imageShape(spec.dataset());
        Standardisation st = Standardisation.of(train.rawFeatures(), train.featureCount(), chw == null ? 1 : chw[0]);
        st.applyInPlace(train.rawFeatures(), train.featureCount());
        return new DataSplits(shaped(spec, train), loadTest(spec, source, st), st);
    }

    /** The test split only, standardised with statistics saved earlier (e.g. in a checkpoint). */
    public static LabelledExamples loadTest(RunSpec spec, DatasetSource source, Standardisation st) throws IOException {
        LabelledExamples test = switch (spec.dataset()) {
            case SYNTHETIC -> SyntheticTeacher.standard().testSplit();
            case CIFAR10, CIFAR100 -> Cifar.test(source, spec.dataset().jsonName());
            case MNIST, FASHION_MNIST -> idx(source, spec.dataset().jsonName(), Idx.TEST_IMAGES, Idx.TEST_LABELS);
        };
        if (spec.testSubset() != null && spec.testSubset() < test.size()) {
            int[] identity = new int[test.size()];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i;
            }
            test = test.select(identity, spec.testSubset());
        }
        st.applyInPlace(test.rawFeatures(), test.featureCount());
        return shaped(spec, test);
    }

    /**
     * The training augmentation of a run, or null: crop and flip for CIFAR when {@code augment} is on (see {@link
     * Augmentation}); nothing for other datasets.
     */
    public static Augmentation augmentation(RunSpec spec, Standardisation st) {
        if (!spec.augment() || (spec.dataset() != Dataset.CIFAR10 && spec.dataset() != Dataset.CIFAR100)) {
            return null;
        }
        return Augmentation.cropAndFlip(Cifar.SHAPE, st);
    }

    /** Images for every model but mlp, flat rows for mlp. */
    private static LabelledExamples shaped(RunSpec spec, LabelledExamples examples) {
        int[] chw = imageShape(spec.dataset());
        if (spec.model() == Model.MLP || chw == null) {
            return examples.withImageShape(null);
        }
        return examples.withImageShape(chw);
    }

    private static LabelledExamples rawTrain(RunSpec spec, DatasetSource source) throws IOException {
        return switch (spec.dataset()) {
            case SYNTHETIC -> SyntheticTeacher.standard().trainSplit();
            case CIFAR10, CIFAR100 -> Cifar.train(source, spec.dataset().jsonName());
            case MNIST, FASHION_MNIST -> idx(source, spec.dataset().jsonName(), Idx.TRAIN_IMAGES, Idx.TRAIN_LABELS);
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
