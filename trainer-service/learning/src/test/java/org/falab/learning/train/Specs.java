package org.falab.learning.train;

import java.util.List;
import org.falab.learning.spec.RunSpec;

/** Tiny specs for fast tests. */
final class Specs {
    private Specs() {}

    static RunSpec synthetic(String method, String optimizer, int epochs, double lr) {
        return new RunSpec("synthetic", "mlp", List.of(32), method, optimizer, epochs, 16, lr, 0.9, 1e-4, 42L,
                32, 64, 1, 8);
    }
}
