package org.falab.gateway.config;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.RunSpec;

/**
 * Puts the contract's documentation of every run spec field into the OpenAPI document: its description
 * ({@link JsonPropertyDescription} on {@link RunSpec}), its default ({@link RunSpec#defaults()}) and, for enums, the
 * JSON values users type. The bounds come from the fields' Jakarta Validation annotations, which SmallRye OpenAPI
 * reads itself. So the document says exactly what the record says; nothing is written twice.
 */
public class RunSpecOpenApiFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema spec = openAPI.getComponents().getSchemas().get(RunSpec.class.getSimpleName());
        if (spec == null || spec.getProperties() == null) {
            return;
        }
        spec.setDescription("A run to train: only dataset and method are required, every other field takes its "
                + "default. Bounds and combination rules are checked on submission (400 naming each field).");
        JsonNode defaults = ContractJson.tree(RunSpec.defaults());
        Map<String, Schema> properties = spec.getProperties();
        for (RecordComponent component : RunSpec.class.getRecordComponents()) {
            Schema property = properties.get(component.getName());
            if (property == null) {
                continue;
            }
            JsonPropertyDescription description = field(component).getAnnotation(JsonPropertyDescription.class);
            if (description != null) {
                property.setDescription(description.value());
            }
            JsonNode value = defaults.get(component.getName());
            if (value != null && !value.isNull()) {
                property.setDefaultValue(ContractJson.mapper().convertValue(value, Object.class));
            }
            if (component.getType().isEnum()) {
                property.setEnumeration(new java.util.ArrayList<>(JsonEnums.names(component.getType())));
            }
        }
    }

    private static Field field(RecordComponent component) {
        try {
            return component.getDeclaringRecord().getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
