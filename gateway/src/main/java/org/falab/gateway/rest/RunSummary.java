package org.falab.gateway.rest;

import java.time.Instant;

import org.falab.contracts.spec.Dataset;
import org.falab.contracts.spec.LearningRule;
import org.falab.contracts.spec.Model;
import org.falab.contracts.spec.Norm;
import org.falab.contracts.spec.OptimizerKind;
import org.falab.gateway.RunState;
import org.falab.gateway.registry.Run;

/**
 * One line of {@code GET /api/v1/runs}; the spec's fields are null while only a trainer's events were seen.
 *
 * @param sweepId the sweep the run is a cell of, else null
 */
public record RunSummary(
        String id,
        RunState state,
        Dataset dataset,
        LearningRule method,
        OptimizerKind optimizer,
        Norm norm,
        Model model,
        String sweepId,
        Instant submittedAt,
        Instant updatedAt,
        Run.Progress progress,
        Double testAccuracy,
        String owner,
        String project) {
}
