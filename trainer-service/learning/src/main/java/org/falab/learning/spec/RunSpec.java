package org.falab.learning.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A training run with every field resolved, as {@code docs/events/run-spec.schema.json} defines it.
 * The component names are the JSON field names, so a plain Jackson {@code ObjectMapper} reads and
 * writes it.
 *
 * @param dataset {@code fashion-mnist}, {@code mnist} or {@code synthetic}
 * @param model {@code mlp}
 * @param hidden hidden layer widths; a 10-class head follows them
 * @param method learning rule, {@code bp} or {@code fa}
 * @param optimizer {@code sgd} or {@code adamw}
 * @param epochs passes over the training examples, at least 1
 * @param batchSize examples per optimiser update
 * @param learningRate step size
 * @param momentum SGD momentum (0 for none); ignored by AdamW
 * @param weightDecay weight decay factor, see {@link OptimizerKind} for how each optimiser applies it
 * @param seed seed for initialisation, feedback matrices, shuffling and the probe batch
 * @param trainSubset if set, only the first N training examples after a seeded shuffle
 * @param testSubset if set, only the first N test examples
 * @param probeEvery record error signals when {@code step % probeEvery == 0} and at the last step
 * @param probeSize examples in the fixed probe batch
 */
public record RunSpec(
        String dataset,
        String model,
        List<Integer> hidden,
        String method,
        String optimizer,
        int epochs,
        int batchSize,
        double learningRate,
        double momentum,
        double weightDecay,
        long seed,
        Integer trainSubset,
        Integer testSubset,
        int probeEvery,
        int probeSize) {

    private static final Set<String> DATASETS = Set.of("fashion-mnist", "mnist", "synthetic");

    /** Copies {@code hidden} so a spec cannot change after it was built. */
    public RunSpec {
        hidden = hidden == null ? null : List.copyOf(hidden);
    }

    /** The learning rule named by {@link #method()}. */
    @JsonIgnore
    public LearningRule learningRule() {
        return LearningRule.fromMethod(method);
    }

    /** The optimiser named by {@link #optimizer()}. */
    @JsonIgnore
    public OptimizerKind optimizerKind() {
        return OptimizerKind.fromSpec(optimizer);
    }

    /**
     * Checks the constraints of the schema that the trainer relies on.
     *
     * @throws IllegalArgumentException naming every violated constraint
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        if (!DATASETS.contains(dataset)) {
            problems.add("dataset '" + dataset + "' is not one of " + DATASETS);
        }
        if (!"mlp".equals(model)) {
            problems.add("model '" + model + "' is not mlp");
        }
        if (hidden == null || hidden.isEmpty() || hidden.stream().anyMatch(h -> h == null || h < 1)) {
            problems.add("hidden must be a non-empty list of positive widths");
        }
        try {
            learningRule();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            optimizerKind();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (epochs < 1) {
            problems.add("epochs must be >= 1");
        }
        if (batchSize < 1) {
            problems.add("batchSize must be >= 1");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problems.add("learningRate must be a positive finite number");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            problems.add("momentum must be in [0, 1)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            problems.add("weightDecay must be >= 0");
        }
        if (seed < 0) {
            problems.add("seed must be >= 0");
        }
        if (trainSubset != null && trainSubset < 1) {
            problems.add("trainSubset must be >= 1 when set");
        }
        if (testSubset != null && testSubset < 1) {
            problems.add("testSubset must be >= 1 when set");
        }
        if (probeEvery < 1) {
            problems.add("probeEvery must be >= 1");
        }
        if (probeSize < 1) {
            problems.add("probeSize must be >= 1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid run spec: " + String.join("; ", problems));
        }
    }
}
