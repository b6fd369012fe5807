package org.falab.cli;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** One line of progress of a run while the CLI waits: id, method, state, epoch and step, loss, accuracy. */
final class ProgressLine {

    private ProgressLine() {
    }

    static String of(String id, String method, JsonNode run) {
        JsonNode progress = run.path("progress");
        JsonNode metrics = run.path("metrics");
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s %-4s %-9s", id, method,
                RunViews.state(run)));
        if (progress.hasNonNull("step")) {
            line.append(String.format(Locale.ROOT, " epoch %d step %d/%s", progress.path("epoch").asInt(),
                    progress.path("step").asLong(),
                    progress.hasNonNull("totalSteps") ? progress.path("totalSteps").asText() : "?"));
        }
        if (metrics.hasNonNull("trainLoss")) {
            line.append(String.format(Locale.ROOT, " loss %.4f", metrics.path("trainLoss").asDouble()));
        }
        if (metrics.hasNonNull("testAccuracy")) {
            line.append(String.format(Locale.ROOT, " test acc %.4f", metrics.path("testAccuracy").asDouble()));
        }
        if (run.hasNonNull("reason")) {
            line.append(" reason: ").append(run.path("reason").asText());
        }
        return line.toString();
    }
}
