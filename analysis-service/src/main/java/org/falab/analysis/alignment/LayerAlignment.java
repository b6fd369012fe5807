package org.falab.analysis.alignment;

import java.util.Optional;

import org.ejml.data.DMatrixRMaj;

/**
 * The alignment figures of one layer at one probe step; a figure that does not apply or is not defined is null.
 *
 * @param errorSignalAngleToBp      degrees between the flattened error signal of the run's rule and the BP one
 * @param weightFeedbackAngle       degrees between flattened W and B
 * @param feedbackToWeightNormRatio |B|_F / |W|_F
 */
public record LayerAlignment(Double errorSignalAngleToBp, Double weightFeedbackAngle,
                             Double feedbackToWeightNormRatio) {

    /**
     * The figures of a layer from whichever of its matrices the snapshot holds (null = absent). Empty when neither
     * pair (error signal and BP error signal; W and B) is complete, so a BP run yields nothing.
     *
     * <ul>
     *   <li>error signal vs BP error signal: both come from the same probe batch, so their shapes must match;
     *   a mismatch is a broken probe and throws {@link IllegalArgumentException};</li>
     *   <li>W vs B: a feedback matrix of another shape than W (DFA sends the output error straight to every
     *   layer, so its B is not W-shaped) has no defined angle or ratio: both are null;</li>
     *   <li>an all-zero vector has no direction: its angle is null; a ratio over an all-zero W is null.</li>
     * </ul>
     */
    public static Optional<LayerAlignment> of(DMatrixRMaj errorSignal, DMatrixRMaj bpErrorSignal, DMatrixRMaj weight,
                                              DMatrixRMaj feedback) {
        boolean deltas = errorSignal != null && bpErrorSignal != null;
        boolean matrices = weight != null && feedback != null;
        if (!deltas && !matrices) {
            return Optional.empty();
        }
        Double deltaAngle = deltas ? Alignment.angleDegrees(errorSignal, bpErrorSignal) : null;
        boolean sameShape = matrices && weight.numRows == feedback.numRows && weight.numCols == feedback.numCols;
        Double weightAngle = sameShape ? Alignment.angleDegrees(weight, feedback) : null;
        Double ratio = sameShape ? Alignment.normRatio(weight, feedback) : null;
        return Optional.of(new LayerAlignment(deltaAngle, weightAngle, ratio));
    }
}
