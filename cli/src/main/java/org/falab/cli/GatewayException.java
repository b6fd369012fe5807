package org.falab.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;

/**
 * The gateway could not be reached, or it refused a request (its RFC 9457 problem+json {@code detail} and
 * {@code errors}, when it sent one). The CLI exits with {@link FalabCli#EXIT_GATEWAY} on it.
 */
public final class GatewayException extends RuntimeException {

    private final int status;
    private final String detail;
    private final List<String> errors;

    public GatewayException(String message, int status, String detail, List<String> errors, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.detail = detail;
        this.errors = List.copyOf(errors);
    }

    /** The gateway at {@code location} did not answer {@code request} (connection refused, timeout, ...). */
    public static GatewayException unreachable(String location, String request, Throwable cause) {
        String why = cause.getClass().getSimpleName();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                why = cause.getClass().getSimpleName() + ": " + t.getMessage();
                break;
            }
        }
        return new GatewayException("cannot reach the gateway at " + location + " (" + request + "): " + why
                + "; is it up? (./falab status, or --gateway URL / FALAB_GATEWAY)", 0, null, List.of(), cause);
    }

    /**
     * The gateway wants a (valid) bearer token: a usage error of the CLI ({@link FalabCli#EXIT_USAGE}), with what
     * to do about it.
     */
    public static GatewayException unauthorized(String location, String request, boolean sentOne, String body) {
        GatewayException problem = refused(location, request, 401, body);
        String hint = sentOne
                ? "the token sent was refused (expired, signed by another key or of another issuer)"
                : "no token was sent";
        return new GatewayException("the gateway at " + location + " needs a valid bearer token for " + request
                + ": " + hint + ". Set FALAB_TOKEN or pass --token-file FILE (./falab token --user U --role R "
                + "mints one for the local stack; ./falab up writes .falab/auth/token)", 401, problem.detail,
                List.of(), null);
    }

    public boolean isUnauthorized() {
        return status == 401;
    }

    /**
     * The gateway answered {@code request} with an unexpected status; {@code body} is read as problem+json when it
     * is one ({@code title}, {@code detail}, {@code errors[]{field, message}}).
     */
    public static GatewayException refused(String location, String request, int status, String body) {
        String title = null;
        String detail = null;
        List<String> errors = new ArrayList<>();
        JsonNode problem = parse(body);
        if (problem != null && problem.isObject()) {
            title = text(problem.get("title"));
            detail = text(problem.get("detail"));
            for (JsonNode error : problem.path("errors")) {
                String field = text(error.get("field"));
                String message = text(error.get("message"));
                errors.add((field == null ? "" : field + ": ") + (message == null ? error.toString() : message));
            }
        }
        StringBuilder message = new StringBuilder("the gateway at ").append(location).append(" refused ")
                .append(request).append(": ").append(status);
        if (title != null) {
            message.append(' ').append(title);
        }
        if (detail != null) {
            message.append(": ").append(detail);
        } else if (problem == null && body != null && !body.isBlank()) {
            String shown = body.strip();
            message.append(": ").append(shown.length() > 300 ? shown.substring(0, 300) + "..." : shown);
        }
        return new GatewayException(message.toString(), status, detail, errors, null);
    }

    /**
     * The {@code id} of an answer to a submission; throws when the gateway accepted it but sent none.
     *
     * @param what what was submitted, for the message ("the run", "the fa run", "the sweep")
     */
    public static String idOf(JsonNode accepted, String location, String what) {
        String id = accepted == null ? "" : accepted.path("id").asText("");
        if (id.isEmpty()) {
            throw new GatewayException("the gateway at " + location + " accepted " + what + " but sent no id: "
                    + accepted, 0, null, List.of(), null);
        }
        return id;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return ContractJson.mapper().readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The problem's {@code detail}, or null. */
    public String detail() {
        return detail;
    }

    /** The problem's {@code errors}, each as {@code field: message}. */
    public List<String> errors() {
        return errors;
    }

    /** What the user sees: the message, then one line per field error. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("falab: " + getMessage());
        for (String error : errors) {
            lines.add("  " + error);
        }
        return lines;
    }
}
