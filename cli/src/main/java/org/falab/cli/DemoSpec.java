package org.falab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.contracts.spec.RunSpec;

/** The run spec of {@code falab demo}: an MLP 784-256-256-10 on Fashion-MNIST with SGD (the contract's RunSpec). */
public final class DemoSpec {

    /**
     * The demo's learning rate. docs/RESULTS.md found SGD at 0.005 (momentum 0.9) stable for every variant of its
     * sweep, while 0.01, the demo's old rate, made FA unstable (its test accuracy fell from 0.79 to 0.69 within an
     * epoch, the hazard science.md describes).
     */
    public static final double STABLE_LEARNING_RATE = 0.005;
    public static final int[] HIDDEN = {256, 256};
    public static final int BATCH_SIZE = 128;
    public static final double MOMENTUM = 0.9;
    public static final int PROBE_EVERY = 200;
    public static final int PROBE_SIZE = 256;
    public static final Dataset DATASET = Dataset.FASHION_MNIST;

    private DemoSpec() {
    }

    /** The spec of one demo run, as the contract's record; {@code trainSubset} null for the whole training set. */
    public static RunSpec spec(LearningRule method, int epochs, long seed, double learningRate, Integer trainSubset) {
        return new RunSpec(DATASET, Model.MLP, List.of(HIDDEN[0], HIDDEN[1]), method, OptimizerKind.SGD, epochs,
                BATCH_SIZE, learningRate, MOMENTUM, 0.0, seed, trainSubset, null, PROBE_EVERY, PROBE_SIZE);
    }

    /** {@link #spec} as the JSON body of {@code POST /api/v1/runs}. */
    public static ObjectNode of(LearningRule method, int epochs, long seed, double learningRate, Integer trainSubset) {
        return (ObjectNode) ContractJson.tree(spec(method, epochs, seed, learningRate, trainSubset));
    }
}
