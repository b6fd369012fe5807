package org.falab.learning.train;

/**
 * Sent once before the first step.
 *
 * @param engine the engine and device, e.g. {@code "PyTorch 2.7.1 on cpu()"}
 * @param device the device every array of the run lives on, {@code cpu} or {@code gpu:N} ({@link TrainingDevice})
 * @param totalSteps optimiser updates the run will make
 * @param trainExamples training examples used
 * @param testExamples test examples used
 */
public record TrainingStarted(String engine, String device, long totalSteps, int trainExamples, int testExamples) {}
