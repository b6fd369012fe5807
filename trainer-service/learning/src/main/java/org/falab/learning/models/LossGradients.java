package org.falab.learning.models;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A batch's loss and the gradient of every parameter, from a hand-written backward.
 *
 * @param loss the mean cross-entropy, a scalar
 * @param gradients by parameter name, each of its parameter's shape
 */
public record LossGradients(NDArray loss, Map<String, NDArray> gradients) {}
