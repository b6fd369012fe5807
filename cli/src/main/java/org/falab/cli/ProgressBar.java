package org.falab.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One run's progress bar, from its view: id, label, state, a bar of the steps done, epoch of epochs, step of
 * steps, train loss, test accuracy, and while it trains the time left.
 *
 * <p>The time left comes from the view alone, on the gateway's clock: the seconds from {@code startedAt} to the
 * newest event ({@code lastHeartbeatAt}, else {@code updatedAt}) per step done, times the steps left. So it
 * does not depend on how often the CLI polls, nor on the clocks of the CLI's machine and the trainer's agreeing.
 */
final class ProgressBar {

    static final int WIDTH = 20;

    private ProgressBar() {
    }

    /**
     * @param label what the run is (its method, a sweep's cell); blank for the method in the view's spec
     * @param run   a run view ({@code GET /api/v1/runs/{id}}) or a sweep's run summary (state only)
     */
    static String of(String id, String label, JsonNode run) {
        String shown = label == null || label.isBlank() ? RunViews.method(run, "?") : label;
        String state = RunViews.state(run);
        Long step = RunViews.step(run);
        Long total = RunViews.totalSteps(run);
        double done = RunViews.SUCCEEDED.equals(state) ? 1.0
                : step != null && total != null && total > 0 ? Math.min(1.0, (double) step / total) : 0.0;
        int filled = (int) Math.floor(done * WIDTH);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s %-4s %-10s [%s%s] %3d%%", id, shown,
                state.isEmpty() ? "?" : state, "#".repeat(filled), "-".repeat(WIDTH - filled),
                (int) Math.floor(done * 100)));
        JsonNode progress = run.path("progress");
        if (progress.path("epoch").isNumber()) {
            line.append(" epoch ").append(progress.path("epoch").asInt());
            JsonNode epochs = run.path("spec").path("epochs");
            if (epochs.isNumber()) {
                line.append('/').append(epochs.asInt());
            }
        }
        if (step != null) {
            line.append(" step ").append(step).append('/').append(total == null ? "?" : total.toString());
        }
        JsonNode metrics = run.path("metrics");
        if (metrics.path("trainLoss").isNumber()) {
            line.append(String.format(Locale.ROOT, " loss %.4f", metrics.path("trainLoss").asDouble()));
        }
        Double accuracy = RunViews.number(metrics.path("testAccuracy"));
        if (accuracy == null) {
            accuracy = RunViews.number(run.path("testAccuracy")); // a sweep's run summary
        }
        if (accuracy != null) {
            line.append(String.format(Locale.ROOT, " test acc %.4f", accuracy));
        }
        Duration left = RunViews.terminal(run) ? null : timeLeft(run);
        if (left != null) {
            line.append(" ETA ").append(duration(left));
        }
        if (run.hasNonNull("reason")) {
            line.append(" reason: ").append(run.path("reason").asText());
        }
        return line.toString();
    }

    /** The time left at the pace so far, or null before the first step or without the times. */
    static Duration timeLeft(JsonNode run) {
        Long step = RunViews.step(run);
        Long total = RunViews.totalSteps(run);
        Instant started = RunViews.instant(run.get("startedAt"));
        Instant latest = RunViews.instant(run.get("lastHeartbeatAt"));
        if (latest == null) {
            latest = RunViews.instant(run.get("updatedAt"));
        }
        if (step == null || step <= 0 || total == null || started == null || latest == null
                || latest.isBefore(started)) {
            return null;
        }
        long perStepNanos = Duration.between(started, latest).toNanos() / step;
        return Duration.ofNanos(perStepNanos * Math.max(0, total - step));
    }

    /** {@code 42s}, {@code 3m05s}, {@code 2h07m}. */
    static String duration(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
