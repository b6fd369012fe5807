package org.falab.learning.optim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.falab.learning.layers.Layer;
import org.falab.learning.layers.Parameter;
import org.falab.learning.models.Network;
import org.falab.contracts.spec.MuonScope;
import org.falab.contracts.spec.RunSpec;

/** Builds the optimiser a run spec names. */
public final class Optimizers {

    /** Name of the group Muon updates. */
    public static final String MUON_GROUP = "muon";
    /** Name of the group the auxiliary AdamW of a Muon run updates. */
    public static final String ADAMW_GROUP = "adamw";

    private Optimizers() {}

    /**
     * The spec's optimiser for a network. SGD and AdamW get one group of all trainable parameters, decayed alike
     * (biases included, as with {@code torch.optim} given {@code model.parameters()}), at {@code learningRate}.
     * Muon gets the groups of {@link #muonSplit(Network, MuonScope)} for the spec's {@code muonScope}. Frozen
     * feedback matrices are not parameters, so they are never seen here.
     */
    public static Optimizer create(RunSpec spec, Network network) {
        if (spec.optimizer() == org.falab.contracts.spec.OptimizerKind.MUON) {
            List<List<Parameter>> split = muonSplit(network, spec.muonScope());
            return new Muon(
                    List.of(new ParameterGroup(MUON_GROUP, split.get(0), spec.learningRate(), spec.weightDecay())),
                    List.of(new ParameterGroup(ADAMW_GROUP, split.get(1), spec.adamwLearningRate(),
                            spec.weightDecay())));
        }
        return create(spec, network.parameters());
    }

    /**
     * SGD or AdamW over one group of the given parameters.
     *
     * @throws IllegalArgumentException for Muon, which needs the network's layer structure
     */
    public static Optimizer create(RunSpec spec, List<Parameter> parameters) {
        List<ParameterGroup> groups =
                List.of(new ParameterGroup("all", parameters, spec.learningRate(), spec.weightDecay()));
        return switch (spec.optimizer()) {
            case SGD -> new Sgd(groups, spec.momentum(), spec.nesterov());
            case ADAMW -> new AdamW(groups);
            case MUON -> throw new IllegalArgumentException("muon needs the network: use create(spec, network)");
        };
    }

    /**
     * Muon's parameter assignment, as the reference recommends: Muon for the hidden matrices, i.e. {@link
     * Parameter.Kind#WEIGHT} tensors of 2 or more dimensions (linear weights, conv filters), except those of the
     * network's first layer (the input stem) and of its last layer in {@link Network#layers()} order (the classifier
     * head); AdamW for everything else: biases, normalisation gains and biases (any other kind), first layer, head.
     * That is {@link #muonSplit(Network, MuonScope)} with {@link MuonScope#HIDDEN}.
     *
     * @return {@code [muon parameters, adamw parameters]}, each in {@link Network#parameters()} order
     */
    public static List<List<Parameter>> muonSplit(Network network) {
        return muonSplit(network, MuonScope.HIDDEN);
    }

    /**
     * Muon's parameter assignment for a scope: {@link MuonScope#HIDDEN} as in {@link #muonSplit(Network)};
     * {@link MuonScope#ALL} gives Muon every {@link Parameter.Kind#WEIGHT} tensor of 2 or more dimensions, the first
     * layer's (a conv stem's filter, viewed as {@code out x in·kh·kw}) and the head's included, and AdamW only the
     * rest (biases, normalisation parameters).
     *
     * @return {@code [muon parameters, adamw parameters]}, each in {@link Network#parameters()} order
     */
    public static List<List<Parameter>> muonSplit(Network network, MuonScope scope) {
        Set<String> edge = new HashSet<>();
        if (scope == MuonScope.HIDDEN) {
            List<? extends Layer> layers = network.layers();
            if (!layers.isEmpty()) {
                layers.get(0).parameters().forEach(p -> edge.add(p.name()));
                layers.get(layers.size() - 1).parameters().forEach(p -> edge.add(p.name()));
            }
        }
        return muonSplit(network.parameters(), edge);
    }

    /**
     * The rule of {@link #muonSplit(Network)} on a list of parameters.
     *
     * @param parameters every trainable tensor, in order
     * @param firstAndHead names of the parameters of the first layer and of the head (empty: Muon on every matrix)
     * @return {@code [muon parameters, adamw parameters]}, each in the given order
     */
    public static List<List<Parameter>> muonSplit(List<Parameter> parameters, Set<String> firstAndHead) {
        List<Parameter> muon = new ArrayList<>();
        List<Parameter> adam = new ArrayList<>();
        for (Parameter p : parameters) {
            boolean matrix = p.kind() == Parameter.Kind.WEIGHT && p.array().getShape().dimension() >= 2;
            (matrix && !firstAndHead.contains(p.name()) ? muon : adam).add(p);
        }
        return List.of(muon, adam);
    }
}
