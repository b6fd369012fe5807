package org.falab.trainer.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.trainer.events.RunRequested;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a {@code RunRequested} record strictly (unknown fields, missing fields and impossible sizes are errors):
 * the gateway validated the spec already, so a bad record here is corrupt or foreign and belongs on the DLQ.
 */
@ApplicationScoped
public class RunRequestParser {

    private static final Pattern RUN_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{2,63}$");

    private final ObjectMapper json;

    public RunRequestParser(ObjectMapper json) {
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public RunRequested parse(String payload) {
        RunRequested request;
        try {
            request = json.readValue(payload, RunRequested.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRunRequestException("not a RunRequested record: " + e.getOriginalMessage());
        }
        if (request == null) {
            throw new InvalidRunRequestException("empty record");
        }
        List<String> problems = new ArrayList<>();
        if (request.runId() == null || !RUN_ID.matcher(request.runId()).matches()) {
            problems.add("runId must match " + RUN_ID.pattern());
        }
        if (request.spec() == null) {
            problems.add("spec is missing");
        } else {
            try {
                request.spec().validate();
            } catch (IllegalArgumentException e) {
                problems.add("spec: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunRequestException(String.join("; ", problems));
        }
        return request;
    }
}
