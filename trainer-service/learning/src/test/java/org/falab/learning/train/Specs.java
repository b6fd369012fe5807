package org.falab.learning.train;

import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.OptimizerKind;
import java.util.List;
import org.falab.contracts.spec.RunSpec;

/** Tiny specs for fast tests. */
final class Specs {
    private Specs() {}

    static RunSpec synthetic(String method, String optimizer, int epochs, double lr) {
        return new RunSpec(Dataset.SYNTHETIC, Model.MLP, List.of(32), JsonEnums.of(LearningRule.class, method), JsonEnums.of(OptimizerKind.class, optimizer), epochs, 16, lr, 0.9, 1e-4, 42L,
                32, 64, 1, 8);
    }
}
