package org.falab.learning.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.falab.contracts.npy.NpyArray;
import org.falab.learning.layers.Parameter;

/**
 * Muon (Keller Jordan et al., {@code KellerJordan/Muon:muon.py}): MomentUm Orthogonalized by Newton-Schulz, for the
 * hidden matrices of a network, with AdamW for every other parameter ({@code MuonWithAuxAdam}).
 *
 * <p>For each matrix parameter W with gradient g (a conv kernel {@code out x in x kh x kw} is viewed as the 2-D
 * matrix {@code out x in·kh·kw}), with β = {@value #BETA}:
 *
 * <pre>
 *   m ← β·m + (1 − β)·g                         momentum buffer (kept in W's shape)
 *   u = (1 − β)·g + β·m                         Nesterov
 *   O = NS5(u as rows x cols)                   {@link #newtonSchulz5}: ≈ U·S'·Vᵀ with S' ≈ I (u = U·S·Vᵀ)
 *   W ← W·(1 − lr·λ) − lr·sqrt(max(1, rows/cols))·O     decoupled weight decay, then the update
 * </pre>
 *
 * The scale uses the 2-D shape (for a 3x3 kernel with out=16, in=4: 16 x 36, scale 1; for a 1x1 kernel with out=64,
 * in=1: 64 x 1, scale 8); computing it on the 4-D shape is a known bug (science.md). β is the reference's 0.95 and
 * not the spec's {@code momentum}, which belongs to SGD (the contract documents Muon without a momentum of its own).
 *
 * <p>Everything runs in float32: bfloat16, which the reference uses on GPU, aborts the JVM on DJL's CPU engine. The
 * auxiliary AdamW uses the reference's betas 0.9/0.95 and eps 1e-10, also with decoupled decay.
 */
public final class Muon implements Optimizer {

    /** Momentum of the reference. */
    public static final double BETA = 0.95;
    /** Quintic Newton-Schulz coefficients (a, b, c) of the reference. */
    public static final double A = 3.4445;
    /** See {@link #A}. */
    public static final double B = -4.7750;
    /** See {@link #A}. */
    public static final double C = 2.0315;
    /** Iterations of the reference. */
    public static final int NS_STEPS = 5;
    /** Added to the Frobenius norm before normalising. */
    public static final double NORM_EPS = 1e-7;
    /** Suffix of momentum buffer names (the reference's {@code momentum_buffer}). */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final List<ParameterGroup> muonGroups;
    private final AdamW adam;
    private final List<ParameterGroup> groups;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private long updates;

    /**
     * Creates the momentum buffers (zeros) now, outside any step scope.
     *
     * @param muonGroups matrices (2-D or conv kernels) updated by Muon
     * @param adamGroups everything else, updated by AdamW (betas 0.9/0.95, eps 1e-10, decoupled decay)
     * @throws IllegalArgumentException if a Muon parameter has fewer than 2 dimensions
     */
    public Muon(List<ParameterGroup> muonGroups, List<ParameterGroup> adamGroups) {
        this.muonGroups = List.copyOf(muonGroups);
        this.adam = new AdamW(adamGroups, 0.9, 0.95, 1e-10);
        List<ParameterGroup> all = new ArrayList<>(muonGroups);
        all.addAll(adamGroups);
        this.groups = List.copyOf(all);
        for (ParameterGroup g : muonGroups) {
            for (Parameter p : g.parameters()) {
                if (p.array().getShape().dimension() < 2) {
                    throw new IllegalArgumentException("Muon needs matrices; " + p.name() + " has shape "
                            + p.array().getShape());
                }
                NDArray buf = p.array().zerosLike();
                NDScope.unregister(buf);
                buffers.put(p.name() + "." + MOMENTUM_BUFFER, buf);
            }
        }
    }

    /**
     * The quintic Newton-Schulz iteration that approximately orthogonalises a matrix G = U·S·Vᵀ, i.e. replaces it by
     * U·S'·Vᵀ with S' roughly uniform in [0.5, 1.5] rather than exactly I (the coefficients trade accuracy near 0 for a
     * steep slope, so that 5 steps suffice):
     *
     * <pre>
     *   X = G / (‖G‖_F + 1e-7),  transposed if rows &gt; cols (so A below is the small Gram matrix)
     *   repeat 5 times:  A = X·Xᵀ;  X ← a·X + (b·A + c·A²)·X,   (a, b, c) = (3.4445, −4.7750, 2.0315)
     *   transposed back
     * </pre>
     *
     * @param g a 2-D array (float32 on the CPU); its manager's scope owns the result
     * @return an array of g's shape
     */
    public static NDArray newtonSchulz5(NDArray g) {
        Shape shape = g.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("newtonSchulz5 needs a 2-D array, got " + shape);
        }
        boolean tall = shape.get(0) > shape.get(1);
        NDArray x = tall ? g.transpose() : g;
        x = x.div(x.square().sum().sqrt().add(NORM_EPS));
        for (int i = 0; i < NS_STEPS; i++) {
            NDArray a = x.matMul(x.transpose());
            NDArray b = a.mul(B).addi(a.matMul(a).muli(C));
            x = x.mul(A).addi(b.matMul(x));
        }
        return tall ? x.transpose() : x;
    }

    /**
     * One Muon update direction: updates the momentum buffer in place and returns the orthogonalised, scaled update as
     * the 2-D matrix {@code rows x cols} (rows = out, cols = the product of the other dimensions).
     *
     * @param grad the gradient, 2-D or a conv kernel
     * @param momentum the buffer, grad's shape; changed in place: {@code m ← β·m + (1 − β)·g}
     * @param beta β
     * @param nesterov use {@code (1 − β)·g + β·m} (the reference's default) rather than m
     */
    public static NDArray muonUpdate(NDArray grad, NDArray momentum, double beta, boolean nesterov) {
        momentum.muli(beta).addi(grad.mul(1 - beta));
        NDArray u = nesterov ? grad.mul(1 - beta).addi(momentum.mul(beta)) : momentum.duplicate();
        long[] rc = matrixShape(grad.getShape());
        NDArray o = newtonSchulz5(u.reshape(rc[0], rc[1]));
        return o.muli(scale(rc[0], rc[1]));
    }

    /** {@code sqrt(max(1, rows/cols))}, computed on the 2-D shape. */
    public static double scale(long rows, long cols) {
        return Math.sqrt(Math.max(1.0, (double) rows / cols));
    }

    /** The 2-D view of a parameter: {@code {out, product of the remaining dimensions}}. */
    public static long[] matrixShape(Shape shape) {
        return new long[] {shape.get(0), shape.size() / shape.get(0)};
    }

    @Override
    public String name() {
        return "muon";
    }

    @Override
    public List<ParameterGroup> groups() {
        return groups;
    }

    /** The groups Muon updates (the others belong to the auxiliary AdamW). */
    public List<ParameterGroup> muonGroups() {
        return muonGroups;
    }

    /** The groups the auxiliary AdamW updates. */
    public List<ParameterGroup> adamGroups() {
        return adam.groups();
    }

    @Override
    public void step(Gradients gradients) {
        try (NDScope scope = new NDScope()) {
            for (ParameterGroup group : muonGroups) {
                double lr = group.learningRate();
                for (Parameter p : group.parameters()) {
                    NDArray w = p.array();
                    NDArray update = muonUpdate(gradients.of(p), buffers.get(p.name() + "." + MOMENTUM_BUFFER), BETA,
                            true);
                    if (group.weightDecay() != 0) {
                        w.muli(1 - lr * group.weightDecay());
                    }
                    w.subi(update.reshape(w.getShape()).muli(lr));
                }
            }
        }
        adam.step(gradients);
        updates++;
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> all = new LinkedHashMap<>(buffers);
        all.putAll(adam.state());
        return Collections.unmodifiableMap(all);
    }

    @Override
    public void restore(Map<String, NpyArray> state, long updates) {
        Optimizer.restoreInto(buffers, state);
        adam.restore(state, updates);
        this.updates = updates;
    }
}
