package org.falab.learning.optim;

import java.util.List;
import org.falab.learning.layers.Parameter;

/**
 * Parameters that share hyper-parameters. SGD and AdamW runs use one group; Muon runs split the hidden matrices
 * (Muon) from the rest (AdamW), each group with its own rate. The learning rate is settable so that a {@link
 * LearningRateSchedule} can scale every group's rate from its base value during a run.
 */
public final class ParameterGroup {

    private final String name;
    private final List<Parameter> parameters;
    private final double baseLearningRate;
    private final double weightDecay;
    private double learningRate;

    /**
     * @param name label for logs and checkpoints
     * @param parameters the tensors to update (copied)
     * @param learningRate base step size; the current rate starts there
     * @param weightDecay decay factor (coupled or decoupled depending on the optimiser)
     */
    public ParameterGroup(String name, List<Parameter> parameters, double learningRate, double weightDecay) {
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.baseLearningRate = learningRate;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /** Label for logs and checkpoints. */
    public String name() {
        return name;
    }

    /** The tensors this group updates. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The step size the next update uses. */
    public double learningRate() {
        return learningRate;
    }

    /** The rate the group was built with; schedules multiply it. */
    public double baseLearningRate() {
        return baseLearningRate;
    }

    /** Sets the step size of the following updates. */
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Decay factor. */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return name + "(" + parameters.size() + " tensors, lr " + learningRate + ", wd " + weightDecay + ")";
    }
}
