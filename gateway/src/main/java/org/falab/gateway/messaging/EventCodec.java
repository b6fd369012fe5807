package org.falab.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns event records into the UTF-8 JSON on the topics and back, with the application's ObjectMapper. */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper mapper;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.getClass().getSimpleName(), e);
        }
    }

    /** @throws JsonProcessingException when the text is not JSON or does not fit the record */
    public <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return mapper.readValue(json, type);
    }
}
