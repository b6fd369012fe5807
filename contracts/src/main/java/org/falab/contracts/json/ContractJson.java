package org.falab.contracts.json;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON codec of falab's records: UTF-8 JSON, ISO-8601 times, enum values as their {@link JsonName}s, and
 * strict reading. Unknown fields, duplicate keys, trailing tokens and coercions ({@code "epochs": "3"},
 * {@code 2.5} for an integer, {@code 1} for a boolean, {@code 5} for a string) are errors, each reported as a
 * {@link ContractViolationException} naming the field. The gateway configures Quarkus' own mapper the same way
 * ({@link #configure(ObjectMapper)}).
 */
public final class ContractJson {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private ContractJson() {
    }

    /** Applies falab's settings to a mapper (Quarkus' application mapper, or a new one). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // ALLOW_COERCION_OF_SCALARS is a MapperFeature: only a builder may change it, so the coercion table says it
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Enum}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Enum).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /** The configured mapper, for trees and for tools that need one; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The JSON text of a record. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** A JSON tree of a record. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Reads a whole value strictly; a record {@link #readRecord field by field}.
     *
     * @throws ContractViolationException naming the fields that break the contract
     */
    @SuppressWarnings("unchecked")
    public static <T> T read(String json, Class<T> type) {
        if (type.isRecord()) {
            return (T) readRecord(json, (Class<? extends Record>) type);
        }
        if (json == null || json.isBlank()) {
            throw new ContractViolationException("not a " + type.getSimpleName(),
                    new FieldViolation("body", "is empty"));
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new ContractViolationException("not a " + type.getSimpleName(),
                        new FieldViolation("body", "is null"));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ContractViolationException("not a " + type.getSimpleName(), JsonViolations.of(e, ""));
        }
    }

    /**
     * Parses JSON text into a tree (duplicate keys and trailing tokens are errors).
     *
     * @throws ContractViolationException naming {@code body}, or the field of a duplicate key
     */
    public static JsonNode readTree(String json) {
        if (json == null || json.isBlank()) {
            throw new ContractViolationException("not JSON", new FieldViolation("body", "is empty"));
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ContractViolationException("not JSON", JsonViolations.of(e, ""));
        }
    }

    /**
     * Reads a JSON object into a record field by field, so that every field with a wrong type, every unknown field
     * and every field of a malformed element is reported at once (a plain read stops at the first). Fields that
     * could not be read are null in {@link Fields#value()}: the record's constructor fills in its defaults.
     */
    public static <R extends Record> Fields<R> readFields(JsonNode node, Class<R> type) {
        if (node == null || !node.isObject()) {
            return new Fields<>(null, List.of(new FieldViolation("body", "must be a JSON object")), Set.of());
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            known.add(c.getName());
        }
        List<FieldViolation> violations = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                violations.add(new FieldViolation(name, "unknown field; known fields: "
                        + known.stream().sorted().collect(Collectors.joining(", "))));
                failed.add(name);
            }
        });
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            JsonNode field = node.get(c.getName());
            if (field == null || field.isNull()) {
                JsonProperty property = field(type, c).getAnnotation(JsonProperty.class);
                if (field == null && property != null && property.required()) {
                    violations.add(new FieldViolation(c.getName(), "is required"));
                    failed.add(c.getName());
                } else if (c.getType().isPrimitive()) {
                    violations.add(new FieldViolation(c.getName(), JsonViolations.typeMessage(c.getType())));
                    failed.add(c.getName());
                }
                if (c.getType().isPrimitive()) {
                    values[i] = PRIMITIVE_ZERO.get(c.getType());
                }
                continue;
            }
            try {
                values[i] = MAPPER.readerFor(MAPPER.constructType(c.getGenericType())).readValue(field);
            } catch (java.io.IOException e) {
                violations.addAll(JsonViolations.of(e, c.getName()));
                failed.add(c.getName());
                if (c.getType().isPrimitive()) {
                    values[i] = PRIMITIVE_ZERO.get(c.getType());
                }
            }
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(
                    java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return new Fields<>(canonical.newInstance(values), violations, failed);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (violations.isEmpty()) {
                violations.add(new FieldViolation("body", String.valueOf(e.getCause().getMessage())));
            }
            return new Fields<>(null, violations, failed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static final java.util.Map<Class<?>, Object> PRIMITIVE_ZERO = java.util.Map.of(int.class, 0,
            long.class, 0L, double.class, 0.0, float.class, 0f, boolean.class, false, short.class, (short) 0,
            byte.class, (byte) 0, char.class, (char) 0);

    private static java.lang.reflect.Field field(Class<?> type, RecordComponent c) {
        try {
            return type.getDeclaredField(c.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one JSON object into a record, {@link #readFields field by field}; throws with every violation. */
    public static <R extends Record> R readRecord(String json, Class<R> type) {
        Fields<R> fields = readFields(readTree(json), type);
        if (!fields.violations().isEmpty()) {
            throw new ContractViolationException("not a " + type.getSimpleName(), fields.violations());
        }
        return fields.value();
    }

    /** An empty JSON object node, to build requests with. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A record read field by field.
     *
     * @param value      the record, fields that failed left to their defaults; null when the value was no object
     * @param violations what could not be read, by field
     * @param failed     the top-level fields named in {@code violations}
     */
    public record Fields<R>(R value, List<FieldViolation> violations, Set<String> failed) {
    }
}
