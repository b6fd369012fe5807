package org.falab.learning.checkpoint;

import java.util.List;
import org.falab.contracts.spec.RunSpec;

/**
 * {@code manifest.json} of a checkpoint: enough to rebuild the model and evaluate it, and to resume training where it
 * stood. Format {@value #FORMAT} added {@code resume}; {@value #FORMAT_1} checkpoints (epoch ends only, no {@code
 * resume}) are still read and evaluated, but cannot be resumed.
 *
 * @param format {@link #FORMAT}
 * @param spec the run's spec
 * @param epoch 1-based epoch of the last step taken (just finished, for an epoch-end checkpoint)
 * @param step optimiser updates made
 * @param seed the run's seed (every random stream derives from it by name, see {@code Seeds})
 * @param engine engine and device that trained it
 * @param dataType {@code "float32"} or {@code "float64"}
 * @param inputFeatures width of the network's input
 * @param inputMean the standardisation mean applied to inputs
 * @param inputStd the standardisation std applied to inputs
 * @param optimizer optimiser name
 * @param optimizerUpdates the optimiser's update count (AdamW bias correction)
 * @param tensors every tensor in the archive
 * @param inputChannelMeans the standardisation mean of every input channel (CIFAR: R, G, B); null in checkpoints
 *     written before per-channel statistics, which then mean one channel of {@code inputMean}
 * @param inputChannelStds the standardisation std of every input channel; null likewise
 * @param resume where training stood, for a resumed run; null in {@value #FORMAT_1} checkpoints
 */
public record CheckpointManifest(
        String format,
        RunSpec spec,
        int epoch,
        long step,
        long seed,
        String engine,
        String dataType,
        int inputFeatures,
        double inputMean,
        double inputStd,
        String optimizer,
        long optimizerUpdates,
        List<TensorEntry> tensors,
        List<Double> inputChannelMeans,
        List<Double> inputChannelStds,
        ResumeState resume) {

    /** Format tag of this layout. */
    public static final String FORMAT = "falab-checkpoint/2";
    /** Format tag of the first layout: the same without {@code resume}. */
    public static final String FORMAT_1 = "falab-checkpoint/1";

    /** The input standardisation, per channel. */
    public org.falab.learning.data.Standardisation standardisation() {
        if (inputChannelMeans == null || inputChannelStds == null) {
            return new org.falab.learning.data.Standardisation(inputMean, inputStd);
        }
        return new org.falab.learning.data.Standardisation(
                inputChannelMeans.stream().mapToDouble(Double::doubleValue).toArray(),
                inputChannelStds.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
