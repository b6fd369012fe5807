package org.falab.gateway.mapping;

import static java.util.Objects.requireNonNullElse;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.gateway.RunSpec;
import org.falab.gateway.rest.RunSpecRequest;

/** Resolves a validated request into the full spec the trainer receives: every default filled in. */
@ApplicationScoped
public class RunSpecMapper {

    public RunSpec resolve(RunSpecRequest request) {
        return new RunSpec(
                request.dataset(),
                requireNonNullElse(request.model(), RunSpec.DEFAULT_MODEL),
                requireNonNullElse(request.hidden(), RunSpec.DEFAULT_HIDDEN),
                request.method(),
                requireNonNullElse(request.optimizer(), RunSpec.DEFAULT_OPTIMIZER),
                requireNonNullElse(request.epochs(), RunSpec.DEFAULT_EPOCHS),
                requireNonNullElse(request.batchSize(), RunSpec.DEFAULT_BATCH_SIZE),
                requireNonNullElse(request.learningRate(), RunSpec.DEFAULT_LEARNING_RATE),
                requireNonNullElse(request.momentum(), RunSpec.DEFAULT_MOMENTUM),
                requireNonNullElse(request.weightDecay(), RunSpec.DEFAULT_WEIGHT_DECAY),
                requireNonNullElse(request.seed(), RunSpec.DEFAULT_SEED),
                request.trainSubset(),
                request.testSubset(),
                requireNonNullElse(request.probeEvery(), RunSpec.DEFAULT_PROBE_EVERY),
                requireNonNullElse(request.probeSize(), RunSpec.DEFAULT_PROBE_SIZE),
                // RunSpec's constructor fills in the defaults of the fields added in issue 3
                request.channels(),
                request.feedbackInit(),
                request.nesterov(),
                request.adamwLearningRate(),
                request.norm(),
                request.schedule(),
                request.scheduleMilestones(),
                request.scheduleGamma(),
                request.augment(),
                request.probeLayout());
    }
}
