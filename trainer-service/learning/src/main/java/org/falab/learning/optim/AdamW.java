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
 * AdamW as {@code torch.optim.AdamW}: decoupled weight decay {@code w *= 1 - lr·λ}, then Adam with
 * bias-corrected moments, {@code w -= lr/(1-β1ᵗ) · m / (sqrt(v)/sqrt(1-β2ᵗ) + ε)}.
 */
public final class AdamW implements Optimizer {

    /** Suffix of first-moment names. */
    public static final String EXP_AVG = "exp_avg";
    /** Suffix of second-moment names. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    private final List<ParameterGroup> groups;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, NDArray> moments = new LinkedHashMap<>();
    private long updates;

    /** AdamW with the defaults the platform uses: betas 0.9/0.999, eps 1e-8. */
    public AdamW(List<ParameterGroup> groups) {
        this(groups, 0.9, 0.999, 1e-8);
    }

    /** Creates the moment buffers (zeros) now, outside any step scope. */
    public AdamW(List<ParameterGroup> groups, double beta1, double beta2, double epsilon) {
        this.groups = List.copyOf(groups);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        for (ParameterGroup g : groups) {
            for (Parameter p : g.parameters()) {
                for (String suffix : new String[] {EXP_AVG, EXP_AVG_SQ}) {
                    NDArray buf = p.array().zerosLike();
                    NDScope.unregister(buf);
                    moments.put(p.name() + "." + suffix, buf);
                }
            }
        }
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public List<ParameterGroup> groups() {
        return groups;
    }

    @Override
    public void step(Gradients gradients) {
        long t = updates + 1;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        try (NDScope scope = new NDScope()) {
            for (ParameterGroup group : groups) {
                double lr = group.learningRate();
                for (Parameter p : group.parameters()) {
                    NDArray w = p.array();
                    NDArray g = gradients.of(p);
                    if (group.weightDecay() != 0) {
                        w.muli(1 - lr * group.weightDecay());
                    }
                    NDArray m = moments.get(p.name() + "." + EXP_AVG);
                    NDArray v = moments.get(p.name() + "." + EXP_AVG_SQ);
                    m.muli(beta1).addi(g.mul(1 - beta1));
                    v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
                    NDArray denom = v.sqrt().divi(bc2Sqrt).addi(epsilon);
                    w.subi(m.div(denom).muli(lr / bc1));
                }
            }
        }
        updates = t;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public Map<String, NDArray> state() {
        return Collections.unmodifiableMap(moments);
    }

    @Override
    public void restore(Map<String, NpyArray> state, long updates) {
        Optimizer.restoreInto(moments, state);
        this.updates = updates;
    }
}
