package org.falab.contracts.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A training run: the one definition of a run spec. The gateway reads request bodies into it, publishes it inside
 * {@code RunRequested}, the trainer trains it; {@code docs/events/run-spec.schema.json} is checked against it field by
 * field ({@code RunSpecSchemaTest}) and the gateway's OpenAPI document takes its descriptions from here.
 *
 * <p>Each component carries its meaning ({@link JsonPropertyDescription}), its bounds (Jakarta Validation) and its
 * default ({@link #defaults()}: a missing or null field takes it, so records written before a field existed still
 * read). Only {@code dataset} and {@code method} have none. Bounds are checked by a {@code jakarta.validation.Validator},
 * then the combination rules of {@link RunSpecRules}: {@link RunSpecChecks} runs both.
 */
@JsonPropertyOrder({"dataset", "model", "hidden", "channels", "method", "feedbackInit", "optimizer", "nesterov",
        "adamwLearningRate", "norm", "schedule", "scheduleMilestones", "scheduleGamma", "augment", "probeLayout",
        "epochs", "batchSize", "learningRate", "momentum", "weightDecay", "seed", "trainSubset", "testSubset",
        "probeEvery", "probeSize", "probeAtStart", "muonScope"})
public record RunSpec(
        @JsonPropertyDescription("the data to train and test on; 28x28 images (fashion-mnist, mnist), 32x32 "
                + "colour images (cifar10, cifar100) or flat synthetic vectors")
        @NotNull(message = "is required")
        Dataset dataset,

        @JsonPropertyDescription("the network; synthetic data (no image) needs mlp")
        Model model,

        @JsonPropertyDescription("widths of the hidden Linear layers (mlp; cnn: between the conv stack and the head; "
                + "ignored by resnets)")
        @Size(min = 1, max = 32, message = "must have between 1 and 32 layers")
        List<@NotNull(message = "must be a width") @Min(value = 1, message = "must be at least 1")
                @Max(value = 16384, message = "must be at most 16384") Integer> hidden,

        @JsonPropertyDescription("the learning rule: bp (backprop), fa (feedback alignment), dfa (direct FA), usf, "
                + "brsf, frsf (sign symmetry); dfa is not supported with resnets")
        @NotNull(message = "is required")
        LearningRule method,

        @JsonPropertyDescription("the optimiser; muon orthogonalises the updates of hidden matrices (or of every "
                + "matrix: muonScope) and trains the rest with AdamW")
        OptimizerKind optimizer,

        @JsonPropertyDescription("passes over the training examples")
        @Min(value = 1, message = "must be at least 1") @Max(value = 1000, message = "must be at most 1000")
        Integer epochs,

        @JsonPropertyDescription("examples per optimiser update")
        @Min(value = 1, message = "must be at least 1") @Max(value = 65536, message = "must be at most 65536")
        Integer batchSize,

        @JsonPropertyDescription("step size of the optimiser (muon: of the Muon group)")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "10", message = "must be at most 10")
        Double learningRate,

        @JsonPropertyDescription("SGD momentum (0 for none); muon's momentum is fixed at 0.95, adamw has none")
        @DecimalMin(value = "0", message = "must be at least 0")
        @DecimalMax(value = "1", inclusive = false, message = "must be less than 1")
        Double momentum,

        @JsonPropertyDescription("weight decay: coupled (L2) for sgd, decoupled for adamw and muon; never applied to "
                + "feedback matrices")
        @DecimalMin(value = "0", message = "must be at least 0") @DecimalMax(value = "1", message = "must be at most 1")
        Double weightDecay,

        @JsonPropertyDescription("seed of the initialisation, feedback matrices, shuffling and probe batch: the same "
                + "spec and seed give the same numbers on CPU")
        @Min(value = 0, message = "must be at least 0")
        Long seed,

        @JsonPropertyDescription("use only the first N training examples after a seeded shuffle; null for all")
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer trainSubset,

        @JsonPropertyDescription("use only the first N test examples; null for all")
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer testSubset,

        @JsonPropertyDescription("training steps between error-signal probes (and a probe at the last step)")
        @Min(value = 1, message = "must be at least 1") @Max(value = 100_000_000, message = "must be at most 100000000")
        Integer probeEvery,

        @JsonPropertyDescription("examples in the fixed probe batch")
        @Min(value = 1, message = "must be at least 1") @Max(value = 4096, message = "must be at most 4096")
        Integer probeSize,

        @JsonPropertyDescription("cnn only: output channels of each 3x3 conv block (conv, norm, ReLU, 2x2 max-pool); "
                + "every block halves the image, so at most 4 blocks on 28x28 and 5 on 32x32 images")
        @Size(min = 1, max = 16, message = "must have between 1 and 16 blocks")
        List<@NotNull(message = "must be a channel count") @Min(value = 1, message = "must be at least 1")
                @Max(value = 4096, message = "must be at most 4096") Integer> channels,

        @JsonPropertyDescription("initialiser of the fixed feedback matrices B (drawn independently of W)")
        FeedbackInit feedbackInit,

        @JsonPropertyDescription("sgd only, with momentum > 0: Nesterov momentum")
        Boolean nesterov,

        @JsonPropertyDescription("muon only: learning rate of the AdamW group (biases, norm gains, and with "
                + "muonScope hidden the first layer and classifier head); learningRate is Muon's")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "10", message = "must be at most 10")
        Double adamwLearningRate,

        @JsonPropertyDescription("hidden-activity normalisation after each hidden Linear/Conv2d, before its "
                + "non-linearity; batch needs batchSize >= 2")
        Norm norm,

        @JsonPropertyDescription("learning-rate schedule over the whole run")
        Schedule schedule,

        @JsonPropertyDescription("steps schedule only (and needed by it): epochs after which the rates are "
                + "multiplied by scheduleGamma, strictly increasing, each at most epochs")
        @Size(max = 16, message = "must have at most 16 milestones")
        List<@NotNull(message = "must be an epoch") @Min(value = 1, message = "must be at least 1") Integer>
                scheduleMilestones,

        @JsonPropertyDescription("steps schedule: factor applied to the rates at each milestone")
        @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
        @DecimalMax(value = "1", message = "must be at most 1")
        Double scheduleGamma,

        @JsonPropertyDescription("cifar only: random crop (padding 4) and horizontal flip of the training images; "
                + "ignored for other datasets")
        Boolean augment,

        @JsonPropertyDescription("conv layers: positions = (N*H*W) x C matrix of per-position channel vectors; "
                + "examples = N x (C*H*W)")
        ProbeLayout probeLayout,

        @JsonPropertyDescription("also probe the untrained network before the first step (step 0, epoch 0), so "
                + "that a quantity's curve over training starts where training does; not after a resume")
        Boolean probeAtStart,

        @JsonPropertyDescription("muon only: hidden = Muon on the hidden matrices, AdamW on the first layer and the "
                + "head; all = Muon on every weight matrix and conv filter, first layer and head included (biases "
                + "and norm parameters stay on AdamW in both)")
        MuonScope muonScope) {

    /** The spec without {@code muonScope} (hidden): the fields up to {@code probeAtStart}. */
    public RunSpec(Dataset dataset, Model model, List<Integer> hidden, LearningRule method, OptimizerKind optimizer,
            Integer epochs, Integer batchSize, Double learningRate, Double momentum, Double weightDecay, Long seed,
            Integer trainSubset, Integer testSubset, Integer probeEvery, Integer probeSize, List<Integer> channels,
            FeedbackInit feedbackInit, Boolean nesterov, Double adamwLearningRate, Norm norm, Schedule schedule,
            List<Integer> scheduleMilestones, Double scheduleGamma, Boolean augment, ProbeLayout probeLayout,
            Boolean probeAtStart) {
        this(dataset, model, hidden, method, optimizer, epochs, batchSize, learningRate, momentum, weightDecay, seed,
                trainSubset, testSubset, probeEvery, probeSize, channels, feedbackInit, nesterov, adamwLearningRate,
                norm, schedule, scheduleMilestones, scheduleGamma, augment, probeLayout, probeAtStart, null);
    }

    /** The spec without {@code probeAtStart} (false): the fields up to {@code probeLayout}. */
    public RunSpec(Dataset dataset, Model model, List<Integer> hidden, LearningRule method, OptimizerKind optimizer,
            Integer epochs, Integer batchSize, Double learningRate, Double momentum, Double weightDecay, Long seed,
            Integer trainSubset, Integer testSubset, Integer probeEvery, Integer probeSize, List<Integer> channels,
            FeedbackInit feedbackInit, Boolean nesterov, Double adamwLearningRate, Norm norm, Schedule schedule,
            List<Integer> scheduleMilestones, Double scheduleGamma, Boolean augment, ProbeLayout probeLayout) {
        this(dataset, model, hidden, method, optimizer, epochs, batchSize, learningRate, momentum, weightDecay, seed,
                trainSubset, testSubset, probeEvery, probeSize, channels, feedbackInit, nesterov, adamwLearningRate,
                norm, schedule, scheduleMilestones, scheduleGamma, augment, probeLayout, null, null);
    }

    /**
     * Fills in the default of every field left null (see {@link #defaults()}) and copies the lists, so a spec cannot
     * change after it was built. A list may hold null elements until it is validated.
     */
    public RunSpec {
        model = model == null ? Model.MLP : model;
        hidden = copy(hidden, List.of(256, 256));
        optimizer = optimizer == null ? OptimizerKind.SGD : optimizer;
        epochs = epochs == null ? 3 : epochs;
        batchSize = batchSize == null ? 128 : batchSize;
        learningRate = learningRate == null ? 0.01 : learningRate;
        momentum = momentum == null ? 0.9 : momentum;
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
        seed = seed == null ? 42L : seed;
        probeEvery = probeEvery == null ? 100 : probeEvery;
        probeSize = probeSize == null ? 256 : probeSize;
        channels = copy(channels, List.of(32, 64));
        feedbackInit = feedbackInit == null ? FeedbackInit.XAVIER : feedbackInit;
        nesterov = nesterov != null && nesterov;
        adamwLearningRate = adamwLearningRate == null ? 3e-4 : adamwLearningRate;
        norm = norm == null ? Norm.NONE : norm;
        schedule = schedule == null ? Schedule.CONSTANT : schedule;
        scheduleMilestones = copy(scheduleMilestones, List.of());
        scheduleGamma = scheduleGamma == null ? 0.1 : scheduleGamma;
        augment = augment == null || augment;
        probeLayout = probeLayout == null ? ProbeLayout.POSITIONS : probeLayout;
        probeAtStart = probeAtStart != null && probeAtStart;
        muonScope = muonScope == null ? MuonScope.HIDDEN : muonScope;
    }

    /** A spec of the first release's fields; the later ones take their defaults. */
    public RunSpec(Dataset dataset, Model model, List<Integer> hidden, LearningRule method, OptimizerKind optimizer,
            int epochs, int batchSize, double learningRate, double momentum, double weightDecay, long seed,
            Integer trainSubset, Integer testSubset, int probeEvery, int probeSize) {
        this(dataset, model, hidden, method, optimizer, epochs, batchSize, learningRate, momentum, weightDecay, seed,
                trainSubset, testSubset, probeEvery, probeSize, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Every default: the spec with nothing set ({@code dataset}, {@code method} and the subsets stay null). */
    public static RunSpec defaults() {
        return new RunSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static List<Integer> copy(List<Integer> values, List<Integer> fallback) {
        return values == null ? fallback : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
