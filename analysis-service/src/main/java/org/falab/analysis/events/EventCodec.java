package org.falab.analysis.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON of the event records, independent of the application's ObjectMapper so the contract does not change with
 * REST settings. Reading is strict about what the contract requires (every required field present, no nulls for
 * numbers) and lenient about additions (unknown fields are ignored). Times are ISO-8601 strings.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventCodec() {
    }

    /** Parses and checks a SnapshotRecorded value; throws {@link InvalidEventException} on anything malformed. */
    public static SnapshotRecorded readSnapshot(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        try {
            return MAPPER.readValue(json, SnapshotRecorded.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException("not a SnapshotRecorded: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(AnalysisResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + result, e);
        }
    }

    public static String write(AlignmentResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + result, e);
        }
    }

    /** For tests and tools: parse an AlignmentResult as the gateway would. */
    public static AlignmentResult readAlignment(String json) {
        try {
            return MAPPER.readValue(json, AlignmentResult.class);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not an AlignmentResult: " + e.getOriginalMessage(), e);
        }
    }

    /** For tests and tools: parse an AnalysisResult as the gateway would. */
    public static AnalysisResult readResult(String json) {
        try {
            return MAPPER.readValue(json, AnalysisResult.class);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not an AnalysisResult: " + e.getOriginalMessage(), e);
        }
    }
}
