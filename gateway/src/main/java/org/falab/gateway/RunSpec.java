package org.falab.gateway;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A run as the trainer receives it: every field resolved (docs/events/run-spec.schema.json).
 * The gateway fills in the defaults below before it publishes; the field table is in gateway/README.md.
 * Enumerations stay strings here so that a gateway reading a record written by a newer gateway
 * (a value it does not know yet) still shows the run instead of skipping it. The fields added in issue 3
 * (channels ... probeLayout) take their defaults when a record written before them leaves them out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"dataset", "model", "hidden", "channels", "method", "feedbackInit", "optimizer", "nesterov",
        "adamwLearningRate", "norm", "schedule", "scheduleMilestones", "scheduleGamma", "augment", "probeLayout",
        "epochs", "batchSize", "learningRate", "momentum", "weightDecay", "seed", "trainSubset", "testSubset",
        "probeEvery", "probeSize"})
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

    public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic");
    public static final List<String> MODELS = List.of("mlp", "cnn", "resnet18", "resnet20");
    public static final List<String> METHODS = List.of("bp", "fa", "dfa", "usf", "brsf", "frsf");
    public static final List<String> OPTIMIZERS = List.of("sgd", "adamw", "muon");
    public static final List<String> FEEDBACK_INITS = List.of("xavier", "kaiming");
    public static final List<String> NORMS = List.of("none", "batch", "layer");
    public static final List<String> SCHEDULES = List.of("constant", "cosine", "steps");
    public static final List<String> PROBE_LAYOUTS = List.of("positions", "examples");

    public static final String DEFAULT_MODEL = "mlp";
    public static final List<Integer> DEFAULT_HIDDEN = List.of(256, 256);
    public static final String DEFAULT_OPTIMIZER = "sgd";
    public static final int DEFAULT_EPOCHS = 3;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_PROBE_EVERY = 100;
    public static final int DEFAULT_PROBE_SIZE = 256;
    public static final List<Integer> DEFAULT_CHANNELS = List.of(32, 64);
    public static final String DEFAULT_FEEDBACK_INIT = "xavier";
    public static final boolean DEFAULT_NESTEROV = false;
    public static final double DEFAULT_ADAMW_LEARNING_RATE = 3e-4;
    public static final String DEFAULT_NORM = "none";
    public static final String DEFAULT_SCHEDULE = "constant";
    public static final List<Integer> DEFAULT_SCHEDULE_MILESTONES = List.of();
    public static final double DEFAULT_SCHEDULE_GAMMA = 0.1;
    public static final boolean DEFAULT_AUGMENT = true;
    public static final String DEFAULT_PROBE_LAYOUT = "positions";

    public RunSpec {
        hidden = hidden == null ? null : List.copyOf(hidden);
        channels = List.copyOf(Objects.requireNonNullElse(channels, DEFAULT_CHANNELS));
        feedbackInit = Objects.requireNonNullElse(feedbackInit, DEFAULT_FEEDBACK_INIT);
        nesterov = Objects.requireNonNullElse(nesterov, DEFAULT_NESTEROV);
        adamwLearningRate = Objects.requireNonNullElse(adamwLearningRate, DEFAULT_ADAMW_LEARNING_RATE);
        norm = Objects.requireNonNullElse(norm, DEFAULT_NORM);
        schedule = Objects.requireNonNullElse(schedule, DEFAULT_SCHEDULE);
        scheduleMilestones = List.copyOf(Objects.requireNonNullElse(scheduleMilestones, DEFAULT_SCHEDULE_MILESTONES));
        scheduleGamma = Objects.requireNonNullElse(scheduleGamma, DEFAULT_SCHEDULE_GAMMA);
        augment = Objects.requireNonNullElse(augment, DEFAULT_AUGMENT);
        probeLayout = Objects.requireNonNullElse(probeLayout, DEFAULT_PROBE_LAYOUT);
    }

    /** A spec of the first release's fields; the later ones take their defaults. */
    public RunSpec(String dataset, String model, List<Integer> hidden, String method, String optimizer, int epochs,
                   int batchSize, double learningRate, double momentum, double weightDecay, long seed,
                   Integer trainSubset, Integer testSubset, int probeEvery, int probeSize) {
        this(dataset, model, hidden, method, optimizer, epochs, batchSize, learningRate, momentum, weightDecay, seed,
                trainSubset, testSubset, probeEvery, probeSize, null, null, null, null, null, null, null, null, null,
                null);
    }
}
