package org.falab.learning.train;

/**
 * Sent once before the first step.
 *
 * @param engine the engine and device, e.g. {@code "PyTorch 2.7.1 on cpu()"}
 * @param totalSteps optimiser updates the run will make
 * @param trainExamples training examples used
 * @param testExamples test examples used
 */
public record TrainingStarted(String engine, long totalSteps, int trainExamples, int testExamples) {}
