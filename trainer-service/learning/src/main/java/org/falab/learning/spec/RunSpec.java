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
 * @param channels cnn: output channels of each conv block (default [32, 64])
 * @param feedbackInit initialiser of the feedback matrices: {@code xavier} (default) or {@code kaiming}
 * @param nesterov sgd: Nesterov momentum (default false)
 * @param adamwLearningRate muon: learning rate of the AdamW group (default 3e-4)
 * @param norm hidden-activity normalisation: {@code none} (default), {@code batch} or {@code layer}
 * @param schedule learning-rate schedule: {@code constant} (default), {@code cosine} or {@code steps}
 * @param scheduleMilestones steps schedule: epochs after which rates are multiplied by scheduleGamma
 * @param scheduleGamma steps schedule factor (default 0.1)
 * @param augment cifar: random crop and horizontal flip (default true)
 * @param probeLayout conv probes: {@code positions} ((N*H*W) x C, default) or {@code examples} (N x C*H*W)
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
        int probeSize,
        List<Integer> channels,
        String feedbackInit,
        Boolean nesterov,
        Double adamwLearningRate,
        String norm,
        String schedule,
        List<Integer> scheduleMilestones,
        Double scheduleGamma,
        Boolean augment,
        String probeLayout) {

    private static final Set<String> DATASETS = Set.of("fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic");
    private static final Set<String> MODELS = Set.of("mlp", "cnn", "resnet18", "resnet20");
    private static final Set<String> FEEDBACK_INITS = Set.of("xavier", "kaiming");
    private static final Set<String> NORMS = Set.of("none", "batch", "layer");
    private static final Set<String> SCHEDULES = Set.of("constant", "cosine", "steps");
    private static final Set<String> PROBE_LAYOUTS = Set.of("positions", "examples");

    /**
     * Copies the lists so a spec cannot change after it was built, and fills in the defaults of the fields added
     * after the first release (records written before them lack them).
     */
    public RunSpec {
        hidden = hidden == null ? null : List.copyOf(hidden);
        channels = channels == null ? List.of(32, 64) : List.copyOf(channels);
        feedbackInit = feedbackInit == null ? "xavier" : feedbackInit;
        nesterov = nesterov != null && nesterov;
        adamwLearningRate = adamwLearningRate == null ? 3e-4 : adamwLearningRate;
        norm = norm == null ? "none" : norm;
        schedule = schedule == null ? "constant" : schedule;
        scheduleMilestones = scheduleMilestones == null ? List.of() : List.copyOf(scheduleMilestones);
        scheduleGamma = scheduleGamma == null ? 0.1 : scheduleGamma;
        augment = augment == null || augment;
        probeLayout = probeLayout == null ? "positions" : probeLayout;
    }

    /** A spec of the first release's fields; the later ones take their defaults. */
    public RunSpec(String dataset, String model, List<Integer> hidden, String method, String optimizer, int epochs,
            int batchSize, double learningRate, double momentum, double weightDecay, long seed, Integer trainSubset,
            Integer testSubset, int probeEvery, int probeSize) {
        this(dataset, model, hidden, method, optimizer, epochs, batchSize, learningRate, momentum, weightDecay, seed,
                trainSubset, testSubset, probeEvery, probeSize, null, null, null, null, null, null, null, null, null,
                null);
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
        if (!MODELS.contains(model)) {
            problems.add("model '" + model + "' is not one of " + MODELS);
        }
        if (channels.isEmpty() || channels.stream().anyMatch(c -> c == null || c < 1)) {
            problems.add("channels must be a non-empty list of positive widths");
        }
        requireOneOf(feedbackInit, FEEDBACK_INITS, "feedbackInit", problems);
        requireOneOf(norm, NORMS, "norm", problems);
        requireOneOf(schedule, SCHEDULES, "schedule", problems);
        requireOneOf(probeLayout, PROBE_LAYOUTS, "probeLayout", problems);
        if (!(adamwLearningRate > 0) || Double.isInfinite(adamwLearningRate)) {
            problems.add("adamwLearningRate must be a positive finite number");
        }
        if (!(scheduleGamma > 0 && scheduleGamma <= 1)) {
            problems.add("scheduleGamma must be in (0, 1]");
        }
        if (scheduleMilestones.stream().anyMatch(m -> m == null || m < 1)) {
            problems.add("scheduleMilestones must be positive epochs");
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

    private static void requireOneOf(String value, Set<String> allowed, String field, List<String> problems) {
        if (!allowed.contains(value)) {
            problems.add(field + " '" + value + "' is not one of " + allowed);
        }
    }
}
