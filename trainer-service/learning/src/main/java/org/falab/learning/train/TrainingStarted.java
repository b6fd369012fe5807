package org.falab.learning.train;

/**
 * Sent once before the first step (of a resumed run: before its first remaining step).
 *
 * @param engine the engine and device, e.g. {@code "PyTorch 2.7.1 on cpu()"}
 * @param device the device every array of the run lives on, {@code cpu} or {@code gpu:N} ({@link TrainingDevice})
 * @param totalSteps optimiser updates the whole run makes (the same for a resumed run)
 * @param trainExamples training examples used
 * @param testExamples test examples used
 * @param resumedFromStep the checkpoint's step a resumed run carries on from (its next step is this + 1); 0 for a
 *     fresh start
 * @param subnormalsFlushed whether the run computes with subnormal floats flushed to zero ({@link
 *     TrainingOptions#flushDenormals})
 */
public record TrainingStarted(String engine, String device, long totalSteps, int trainExamples, int testExamples,
        long resumedFromStep, boolean subnormalsFlushed) {
}
