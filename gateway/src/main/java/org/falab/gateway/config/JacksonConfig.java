package org.falab.gateway.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.falab.contracts.json.ContractJson;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Quarkus' application mapper (REST bodies and answers) reads and writes JSON exactly as the contract's codec does:
 * strict types, unknown fields and duplicate keys are errors, ISO-8601 times.
 */
@Singleton
public class JacksonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractJson.configure(mapper);
    }
}
