package org.falab.learning.train;

/**
 * Receives a run's progress. Every method is a no-op by default and is called on the training
 * thread, so a slow listener slows training; hand heavy work to another thread.
 */
public interface TrainingListener {

    /** Before the first step (of a resumed run: before the first step after its checkpoint). */
    default void onStart(TrainingStarted started) {}

    /** After every optimiser update. */
    default void onStep(StepProgress progress) {}

    /**
     * After a step whose number is a multiple of {@code probeEvery}, and after the last step; with {@code
     * probeAtStart} also once before the first step (step 0, epoch 0, no update quantity).
     */
    default void onProbe(ProbeSnapshot snapshot) {}

    /** After each epoch's test evaluation. */
    default void onEpoch(EpochSummary summary) {}

    /**
     * After {@link #onEpoch}, with that epoch's checkpoint ({@link CheckpointData#epochEnd()} true); and after a step
     * (its {@link #onStep} and {@link #onProbe}) when {@link TrainingOptions} asks for interval checkpoints or a stop
     * asks for one first ({@code epochEnd} false). Keep the last one: it resumes the run.
     */
    default void onCheckpoint(CheckpointData checkpoint) {}

    /**
     * At most once per run, when the run looks divergent although its loss is still finite (see {@link
     * DivergenceDetector} for the rule); training goes on. NaN and infinite losses fail the run instead.
     *
     * @param reason what was detected, with the step
     */
    default void onWarning(String reason) {}
}
