package org.falab.gateway;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A run as the trainer receives it: every field resolved (docs/events/run-spec.schema.json).
 * The gateway fills in the defaults below before it publishes; the field table is in gateway/README.md.
 * Enumerations stay strings here so that a gateway reading a record written by a newer gateway
 * (a value it does not know yet) still shows the run instead of skipping it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"dataset", "model", "hidden", "method", "optimizer", "epochs", "batchSize", "learningRate",
        "momentum", "weightDecay", "seed", "trainSubset", "testSubset", "probeEvery", "probeSize"})
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

    public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "synthetic");
    public static final List<String> MODELS = List.of("mlp");
    public static final List<String> METHODS = List.of("bp", "fa");
    public static final List<String> OPTIMIZERS = List.of("sgd", "adamw");

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

    public RunSpec {
        hidden = hidden == null ? null : List.copyOf(hidden);
    }
}
