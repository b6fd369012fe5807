package org.falab.cli;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Time per training step and start-up of one run, from its view.
 * <ul>
 *   <li>active = {@code finishedAt - startedAt}: from the trainer's STARTED event (sent just before the first step,
 *       after the engine and the data are loaded) to SUCCEEDED/FAILED;</li>
 *   <li>per step = active / steps;</li>
 *   <li>start-up = {@code metrics.trainingSeconds} (the trainer's whole training call: data loading, engine start,
 *       steps, evaluation) - active.</li>
 * </ul>
 * Without {@code startedAt} (an older gateway) per step falls back to trainingSeconds / steps, start-up included,
 * and the start-up is unknown ({@link #fallback()}).
 *
 * @param steps           training steps done ({@code progress.step}, else {@code progress.totalSteps}); null if unknown
 * @param trainingSeconds {@code metrics.trainingSeconds}, or null
 * @param activeSeconds   finishedAt - startedAt, or null
 * @param perStepSeconds  seconds per step, or null when it cannot be computed
 * @param startupSeconds  seconds of start-up, or null when it cannot be computed
 * @param fallback        true when per step is trainingSeconds / steps because the view has no startedAt
 */
public record RunTiming(Long steps, Double trainingSeconds, Double activeSeconds, Double perStepSeconds,
                        Double startupSeconds, boolean fallback) {

    public static RunTiming of(JsonNode run) {
        Long steps = RunViews.step(run);
        if (steps == null || steps <= 0) {
            steps = RunViews.totalSteps(run);
        }
        if (steps != null && steps <= 0) {
            steps = null;
        }
        Double training = RunViews.number(run.path("metrics").path("trainingSeconds"));
        Instant started = RunViews.instant(run.get("startedAt"));
        Instant finished = RunViews.instant(run.get("finishedAt"));
        if (started != null && finished != null) {
            double active = Duration.between(started, finished).toNanos() / 1e9;
            return new RunTiming(steps, training, active, steps == null ? null : active / steps,
                    training == null ? null : training - active, false);
        }
        boolean fallback = started == null;
        Double perStep = fallback && training != null && steps != null ? training / steps : null;
        return new RunTiming(steps, training, null, perStep, null, fallback && perStep != null);
    }
}
