package org.falab.learning.optim;

import java.util.List;
import org.falab.contracts.spec.RunSpec;

/**
 * The learning-rate schedule of a run: a factor applied to every group's base rate before each update, so that Muon's
 * and AdamW's rates (and SGD's) move together.
 *
 * <ul>
 *   <li>{@code constant}: 1.
 *   <li>{@code cosine}: update k (0-based) of T uses {@code ½·(1 + cos(π·k/T))}: 1 at the first update, falling to 0
 *       at the end of the run ({@code torch.optim.lr_scheduler.CosineAnnealingLR} with {@code T_max = T} stepped
 *       after every update, {@code eta_min = 0}; the last update uses ½(1 + cos(π(T−1)/T)) &gt; 0).
 *   <li>{@code steps}: an update in epoch e (1-based) uses {@code γ^n}, n = the number of milestones m with
 *       {@code m < e}: the rates are multiplied by γ after each milestone epoch ({@code MultiStepLR} stepped per
 *       epoch).
 * </ul>
 */
public final class LearningRateSchedule {

    private final String kind;
    private final long totalSteps;
    private final int stepsPerEpoch;
    private final List<Integer> milestones;
    private final double gamma;

    /**
     * @param kind {@code constant}, {@code cosine} or {@code steps}
     * @param totalSteps updates in the run
     * @param stepsPerEpoch updates per epoch
     * @param milestones steps: epochs after which rates are multiplied by gamma
     * @param gamma steps: the factor
     */
    public LearningRateSchedule(String kind, long totalSteps, int stepsPerEpoch, List<Integer> milestones,
            double gamma) {
        if (!List.of("constant", "cosine", "steps").contains(kind)) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "'");
        }
        if (totalSteps < 1 || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("a schedule needs at least one step");
        }
        this.kind = kind;
        this.totalSteps = totalSteps;
        this.stepsPerEpoch = stepsPerEpoch;
        this.milestones = List.copyOf(milestones);
        this.gamma = gamma;
    }

    /** The schedule a spec names over a run of {@code stepsPerEpoch · epochs} updates. */
    public static LearningRateSchedule of(RunSpec spec, int stepsPerEpoch) {
        return new LearningRateSchedule(spec.schedule().jsonName(), (long) stepsPerEpoch * spec.epochs(), stepsPerEpoch,
                spec.scheduleMilestones(), spec.scheduleGamma());
    }

    /** The factor of update {@code step} (1-based, as training counts them). */
    public double factor(long step) {
        long k = step - 1;
        return switch (kind) {
            case "cosine" -> 0.5 * (1 + Math.cos(Math.PI * k / totalSteps));
            case "steps" -> {
                long epoch = k / stepsPerEpoch + 1;
                int passed = (int) milestones.stream().filter(m -> m < epoch).count();
                yield Math.pow(gamma, passed);
            }
            default -> 1.0;
        };
    }

    /** Sets every group's rate for update {@code step}: base rate times {@link #factor}. */
    public void apply(Optimizer optimizer, long step) {
        double f = factor(step);
        for (ParameterGroup g : optimizer.groups()) {
            g.setLearningRate(g.baseLearningRate() * f);
        }
    }
}
