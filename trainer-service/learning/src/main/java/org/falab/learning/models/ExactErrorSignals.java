package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A probe's matrices from a hand-written backward ({@link Network#exactErrorSignals}), one per weight layer in
 * forward order.
 *
 * @param errorSignals δ_l under the network's rule, examples x outputs
 * @param bpErrorSignals δ_l under plain BP on the same forward, or null when not asked for
 * @param inputs each layer's input, examples x inputs
 */
public record ExactErrorSignals(List<NDArray> errorSignals, List<NDArray> bpErrorSignals, List<NDArray> inputs) {}
