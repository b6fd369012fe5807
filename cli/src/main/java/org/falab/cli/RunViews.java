package org.falab.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** Small readers of the gateway's run view ({@code GET /api/v1/runs/{id}}), shared by the tables and the waiting. */
final class RunViews {

    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String CANCELLED = "CANCELLED";
    static final String BP = "bp";

    private RunViews() {
    }

    static String state(JsonNode run) {
        return run.path("state").asText("");
    }

    static boolean terminal(JsonNode run) {
        String state = state(run);
        return state.equals(SUCCEEDED) || state.equals(FAILED) || state.equals(CANCELLED);
    }

    /** The run's method from its spec; {@code fallback} when the gateway has not seen the spec (yet). */
    static String method(JsonNode run, String fallback) {
        JsonNode method = run.path("spec").path("method");
        return method.isTextual() ? method.asText() : fallback;
    }

    /** The step the run's progress reached, or null. */
    static Long step(JsonNode run) {
        JsonNode step = run.path("progress").path("step");
        return step.isNumber() ? step.asLong() : null;
    }

    /** The run's number of training steps, or null. */
    static Long totalSteps(JsonNode run) {
        JsonNode total = run.path("progress").path("totalSteps");
        return total.isNumber() ? total.asLong() : null;
    }

    /** A number of the view, or null when it is absent, null or not a number. */
    static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    /** An ISO-8601 time (or epoch seconds) of the view, or null when absent or unreadable. */
    static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            double seconds = node.asDouble();
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String fixed(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }
}
