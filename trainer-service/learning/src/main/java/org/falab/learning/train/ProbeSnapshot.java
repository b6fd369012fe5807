package org.falab.learning.train;

import java.util.List;

/**
 * Error signals of every layer on the fixed probe batch.
 *
 * @param epoch 1-based epoch of the step
 * @param step the update after which the probe ran
 * @param signals one per layer, in layer order
 */
public record ProbeSnapshot(int epoch, long step, List<LayerSignal> signals) {}
