package org.falab.gateway.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.falab.gateway.RunSpec;
import org.falab.gateway.rest.Problem;

/**
 * Combinations of individually valid fields that cannot train, checked on the resolved spec (defaults filled in)
 * after the per-field bounds. Plain Java; each rule names the field to change. The table is in gateway/README.md.
 */
public final class RunSpecRules {

    /** Side of the square input images of each image dataset; synthetic data is flat. */
    private static final Set<String> SIDE_28 = Set.of("mnist", "fashion-mnist");
    private static final Set<String> SIDE_32 = Set.of("cifar10", "cifar100");
    private static final Set<String> RESNETS = Set.of("resnet18", "resnet20");

    private RunSpecRules() {
    }

    /** The violated rules, each naming a field; empty when the spec can train. */
    public static List<Problem.FieldError> check(RunSpec spec) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if ("dfa".equals(spec.method()) && RESNETS.contains(spec.model())) {
            errors.add(new Problem.FieldError("method", "dfa is not supported with " + spec.model()
                    + " (the trainer has no direct feedback for residual networks); use fa, usf, brsf or frsf"));
        }
        if ("synthetic".equals(spec.dataset()) && !"mlp".equals(spec.model())) {
            errors.add(new Problem.FieldError("model", "synthetic data is flat (no image), only mlp can train on it"));
        }
        if ("cnn".equals(spec.model())) {
            // every conv block halves the image with a 2x2 max-pool: 28 -> 14 -> 7 -> 3 -> 1, 32 -> ... -> 1
            int maxBlocks = SIDE_28.contains(spec.dataset()) ? 4 : SIDE_32.contains(spec.dataset()) ? 5 : -1;
            if (maxBlocks > 0 && spec.channels().size() > maxBlocks) {
                errors.add(new Problem.FieldError("channels", "has " + spec.channels().size() + " conv blocks, but "
                        + spec.dataset() + " images allow at most " + maxBlocks + " (each block halves the image)"));
            }
        }
        if ("batch".equals(spec.norm()) && spec.batchSize() == 1) {
            errors.add(new Problem.FieldError("norm", "batch normalisation needs batchSize >= 2 "
                    + "(the variance of one example is 0); use layer or none"));
        }
        List<Integer> milestones = spec.scheduleMilestones();
        if (!"steps".equals(spec.schedule()) && !milestones.isEmpty()) {
            errors.add(new Problem.FieldError("scheduleMilestones", "only applies to schedule steps, not "
                    + spec.schedule()));
        }
        if ("steps".equals(spec.schedule()) && milestones.isEmpty()) {
            errors.add(new Problem.FieldError("scheduleMilestones", "schedule steps needs at least one milestone"));
        }
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) > spec.epochs()) {
                errors.add(new Problem.FieldError("scheduleMilestones[" + i + "]", "epoch " + milestones.get(i)
                        + " is beyond the run's " + spec.epochs() + " epochs"));
            } else if (i > 0 && milestones.get(i) <= milestones.get(i - 1)) {
                errors.add(new Problem.FieldError("scheduleMilestones[" + i + "]",
                        "milestones must be strictly increasing"));
            }
        }
        if (Boolean.TRUE.equals(spec.nesterov())) {
            if (!"sgd".equals(spec.optimizer())) {
                errors.add(new Problem.FieldError("nesterov", "only applies to sgd (muon always uses Nesterov "
                        + "momentum, adamw none)"));
            } else if (spec.momentum() == 0) {
                errors.add(new Problem.FieldError("nesterov", "Nesterov momentum needs momentum > 0"));
            }
        }
        return errors;
    }
}
