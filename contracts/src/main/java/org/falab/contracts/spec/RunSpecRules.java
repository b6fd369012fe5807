package org.falab.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.falab.contracts.json.FieldViolation;

/**
 * Combinations of individually valid fields that cannot train, checked on a spec whose fields are within their
 * bounds, then the size limits of {@link RunSpecLimits} on a network that can be built. Plain Java; each rule names
 * the field to change (the table is in gateway/README.md).
 */
public final class RunSpecRules {

    private static final Set<Model> RESNETS = Set.of(Model.RESNET18, Model.RESNET20);

    private RunSpecRules() {
    }

    /** The violated rules, each naming a field; empty when the spec can train. */
    public static List<FieldViolation> check(RunSpec spec) {
        List<FieldViolation> errors = new ArrayList<>();
        // the size limits need a network that can be built: the rules that say it cannot come first
        boolean buildable = true;
        if (spec.method() == LearningRule.DFA && RESNETS.contains(spec.model())) {
            buildable = false;
            errors.add(new FieldViolation("method", "dfa is not supported with " + spec.model().jsonName()
                    + " (the trainer has no direct feedback for residual networks); use fa, usf, brsf or frsf"));
        }
        if (spec.dataset() == Dataset.SYNTHETIC && spec.model() != Model.MLP) {
            buildable = false;
            errors.add(new FieldViolation("model", "synthetic data is flat (no image), only mlp can train on it"));
        }
        if (spec.model() == Model.CNN) {
            int maxBlocks = maxConvBlocks(spec.dataset());
            if (maxBlocks > 0 && spec.channels().size() > maxBlocks) {
                buildable = false;
                errors.add(new FieldViolation("channels", "has " + spec.channels().size() + " conv blocks, but "
                        + spec.dataset().jsonName() + " images allow at most " + maxBlocks
                        + " (each block halves the image)"));
            }
        }
        if (spec.norm() == Norm.BATCH && spec.batchSize() == 1) {
            errors.add(new FieldViolation("norm", "batch normalisation needs batchSize >= 2 "
                    + "(the variance of one example is 0); use layer or none"));
        }
        List<Integer> milestones = spec.scheduleMilestones();
        if (spec.schedule() != Schedule.STEPS && !milestones.isEmpty()) {
            errors.add(new FieldViolation("scheduleMilestones", "only applies to schedule steps, not "
                    + spec.schedule().jsonName()));
        }
        if (spec.schedule() == Schedule.STEPS && milestones.isEmpty()) {
            errors.add(new FieldViolation("scheduleMilestones", "schedule steps needs at least one milestone"));
        }
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) > spec.epochs()) {
                errors.add(new FieldViolation("scheduleMilestones[" + i + "]", "epoch " + milestones.get(i)
                        + " is beyond the run's " + spec.epochs() + " epochs"));
            } else if (i > 0 && milestones.get(i) <= milestones.get(i - 1)) {
                errors.add(new FieldViolation("scheduleMilestones[" + i + "]",
                        "milestones must be strictly increasing"));
            }
        }
        if (spec.nesterov()) {
            if (spec.optimizer() != OptimizerKind.SGD) {
                errors.add(new FieldViolation("nesterov", "only applies to sgd (muon always uses Nesterov "
                        + "momentum, adamw none)"));
            } else if (spec.momentum() == 0) {
                errors.add(new FieldViolation("nesterov", "Nesterov momentum needs momentum > 0"));
            }
        }
        if (spec.muonScope() != MuonScope.HIDDEN && spec.optimizer() != OptimizerKind.MUON) {
            errors.add(new FieldViolation("muonScope", "only applies to muon, not " + spec.optimizer().jsonName()
                    + " (which updates every parameter alike)"));
        }
        if (buildable) {
            errors.addAll(RunSpecLimits.check(spec));
        }
        return errors;
    }

    /** Every cnn block halves the image with a 2x2 max-pool: 28 -> 14 -> 7 -> 3 -> 1, 32 -> ... -> 1. */
    private static int maxConvBlocks(Dataset dataset) {
        return switch (dataset) {
            case MNIST, FASHION_MNIST -> 4;
            case CIFAR10, CIFAR100 -> 5;
            case SYNTHETIC -> -1;
        };
    }
}
