package org.falab.cli;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;

/**
 * The body of {@code POST /api/v1/sweeps} that {@code falab reproduce} submits (docs/RESULTS.md): variants BP, FA,
 * FA+Muon (learning rate 0.02), FA+batch norm, FA+layer norm, times a grid of models and seeds, over a base spec
 * (hidden 256-256, channels 32-64, SGD with momentum 0.9, batch 128, probes every 200 steps on 128 examples).
 */
public final class SweepBody {

    /** The learning rate of Muon in the FA+Muon variant. */
    public static final double MUON_LEARNING_RATE = 0.02;

    /**
     * What the user chose.
     *
     * @param trainSubset null for the whole training set (the field is then left out)
     */
    public record Options(String dataset, List<String> models, List<Long> seeds, int epochs, Integer trainSubset,
                          double learningRate) {
    }

    private SweepBody() {
    }

    public static ObjectNode of(Options options) {
        ObjectNode body = ContractJson.object();
        ObjectNode base = body.putObject("base");
        base.put("dataset", options.dataset());
        base.putArray("hidden").add(256).add(256);
        base.putArray("channels").add(32).add(64);
        base.put("optimizer", "sgd");
        base.put("epochs", options.epochs());
        base.put("batchSize", 128);
        base.put("learningRate", options.learningRate());
        base.put("momentum", 0.9);
        if (options.trainSubset() != null) {
            base.put("trainSubset", options.trainSubset());
        }
        base.put("probeEvery", 200);
        base.put("probeSize", 128);

        ArrayNode variants = body.putArray("variants");
        variants.addObject().put("method", "bp");
        variants.addObject().put("method", "fa");
        variants.addObject().put("method", "fa").put("optimizer", "muon").put("learningRate", MUON_LEARNING_RATE);
        variants.addObject().put("method", "fa").put("norm", "batch");
        variants.addObject().put("method", "fa").put("norm", "layer");

        ObjectNode grid = body.putObject("grid");
        ArrayNode models = grid.putArray("model");
        options.models().forEach(models::add);
        ArrayNode seeds = grid.putArray("seed");
        options.seeds().forEach(seeds::add);
        return body;
    }
}
