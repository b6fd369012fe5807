package org.falab.learning.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.layers.Parameter;

/**
 * SGD with momentum, {@code torch.optim.SGD}'s convention (dampening 0):
 * {@code d = g + λw} (L2 weight decay, coupled: it passes through momentum), {@code m = μm + d}, then
 * heavy ball {@code w -= lr·m} or, with Nesterov, {@code w -= lr·(d + μm)}. With momentum 0 there is no
 * buffer and {@code w -= lr·d} (Nesterov then changes nothing). L2 rather than decoupled decay matches
 * {@code torch.optim.SGD}, which the FA literature's SGD baselines use.
 */
public final class Sgd implements Optimizer {

    /** Suffix of momentum buffer names. */
    public static final String MOMENTUM = "momentum";

    private final List<ParameterGroup> groups;
    private final double momentum;
    private final boolean nesterov;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private long updates;

    /** Heavy-ball SGD; see {@link #Sgd(List, double, boolean)}. */
    public Sgd(List<ParameterGroup> groups, double momentum) {
        this(groups, momentum, false);
    }

    /** Creates the momentum buffers (zeros) now, outside any step scope. */
    public Sgd(List<ParameterGroup> groups, double momentum, boolean nesterov) {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1)");
        }
        this.groups = List.copyOf(groups);
        this.momentum = momentum;
        this.nesterov = nesterov;
        if (momentum > 0) {
            for (ParameterGroup g : groups) {
                for (Parameter p : g.parameters()) {
                    NDArray buf = p.array().zerosLike();
                    NDScope.unregister(buf); // state outlives any scope the caller has open
                    buffers.put(p.name() + "." + MOMENTUM, buf);
                }
            }
        }
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public List<ParameterGroup> groups() {
        return groups;
    }

    @Override
    public void step(Gradients gradients) {
        try (NDScope scope = new NDScope()) {
            for (ParameterGroup group : groups) {
                for (Parameter p : group.parameters()) {
                    NDArray w = p.array();
                    NDArray d = gradients.of(p);
                    if (group.weightDecay() != 0) {
                        d = d.add(w.mul(group.weightDecay()));
                    }
                    if (momentum > 0) {
                        NDArray buf = buffers.get(p.name() + "." + MOMENTUM).muli(momentum).addi(d);
                        d = nesterov ? d.add(buf.mul(momentum)) : buf;
                    }
                    w.subi(d.mul(group.learningRate()));
                }
            }
        }
        updates++;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public Map<String, NDArray> state() {
        return Collections.unmodifiableMap(buffers);
    }

    @Override
    public void restore(Map<String, NpyArray> state, long updates) {
        Optimizer.restoreInto(buffers, state);
        this.updates = updates;
    }
}
