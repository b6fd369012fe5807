package org.falab.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.events.AlignmentResult;
import org.falab.contracts.events.AnalysisResult;
import org.falab.contracts.events.RunCancellation;
import org.falab.contracts.events.RunEvent;
import org.falab.contracts.events.RunRequested;
import org.falab.contracts.events.SnapshotRecorded;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas under docs/events (what non-Java consumers and the contract checks read) and the records (what
 * every service reads and writes) agree field by field: the same fields, JSON types, nullability, enumerations,
 * numeric bounds, sizes, patterns and required fields; for the run spec also every default and description. The
 * records are the source: after changing one, {@code mvn -pl contracts test -Dtest=SchemaAgreementTest
 * -Dfalab.update-schemas=true} writes the run spec's descriptions and defaults into its schema, and the test
 * names whatever else must be changed by hand.
 */
class SchemaAgreementTest {

    private static final Path EVENTS = Path.of("../docs/events");

    private static final Map<String, Class<? extends Record>> RECORD_OF_SCHEMA = Map.of(
            "run-spec.schema.json", RunSpec.class,
            "run-requested.schema.json", RunRequested.class,
            "run-event.schema.json", RunEvent.class,
            "snapshot-recorded.schema.json", SnapshotRecorded.class,
            "analysis-result.schema.json", AnalysisResult.class,
            "alignment-result.schema.json", AlignmentResult.class,
            "run-cancellation.schema.json", RunCancellation.class);

    private final List<String> mismatches = new ArrayList<>();

    @Test
    void everySchemaFileHasARecord() throws Exception {
        try (var files = Files.list(EVENTS)) {
            Set<String> schemas = new TreeSet<>(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json")).toList());
            assertThat(schemas).isEqualTo(new TreeSet<>(RECORD_OF_SCHEMA.keySet()));
        }
    }

    @Test
    void schemasAndRecordsAgreeFieldByField() throws Exception {
        if (Boolean.getBoolean("falab.update-schemas")) {
            updateRunSpecSchema();
        }
        for (var entry : RECORD_OF_SCHEMA.entrySet()) {
            JsonNode schema = ContractJson.mapper().readTree(EVENTS.resolve(entry.getKey()).toFile());
            compareObject(entry.getKey(), schema, entry.getValue());
        }
        assertThat(mismatches).as("schema vs record mismatches").isEmpty();
    }

    @Test
    void theCheckFindsADrift() throws Exception {
        ObjectNode schema = (ObjectNode) ContractJson.mapper().readTree(EVENTS.resolve("run-spec.schema.json").toFile());
        ((ObjectNode) schema.get("properties").get("probeSize")).put("maximum", 8192);
        ((ObjectNode) schema.get("properties")).remove("norm");
        ((ObjectNode) schema.get("properties").get("epochs")).put("description", "something else");
        compareObject("drifted", schema, RunSpec.class);
        assertThat(mismatches).anyMatch(m -> m.contains("probeSize") && m.contains("maximum"))
                .anyMatch(m -> m.contains("norm")).anyMatch(m -> m.contains("epochs") && m.contains("description"));
    }

    private void compareObject(String where, JsonNode schema, Class<? extends Record> type) {
        JsonNode properties = schema.path("properties");
        Set<String> schemaFields = new LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(schemaFields::add);
        Set<String> recordFields = new LinkedHashSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            recordFields.add(c.getName());
        }
        if (!schemaFields.equals(recordFields)) {
            mismatches.add(where + ": schema fields " + schemaFields + " vs record " + type.getSimpleName() + " "
                    + recordFields);
        }
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Set<String> recordRequired = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Annotation[] annotations = annotations(type, c);
            JsonProperty p = find(annotations, JsonProperty.class);
            if (p != null && p.required()) {
                recordRequired.add(c.getName());
            }
            JsonNode property = properties.get(c.getName());
            if (property != null) {
                compareValue(where + "#" + c.getName(), property, c.getGenericType(), c.getAnnotatedType(),
                        annotations, c.getType().isPrimitive());
            }
        }
        if (type == RunSpec.class) {
            compareRunSpecDocs(where, properties, required);
        } else if (!required.equals(recordRequired)) {
            mismatches.add(where + ": schema requires " + required + ", the record " + recordRequired);
        }
    }

    /** Every spec field: required in the schema unless it has a default, and the record's default and text. */
    private void compareRunSpecDocs(String where, JsonNode properties, Set<String> required) {
        JsonNode defaults = ContractJson.tree(RunSpec.defaults());
        for (RecordComponent c : RunSpec.class.getRecordComponents()) {
            String field = c.getName();
            JsonNode property = properties.path(field);
            JsonNode expected = defaults.get(field);
            boolean hasDefault = expected != null && !expected.isNull();
            if (hasDefault && !sameJson(expected, property.get("default"))) {
                mismatches.add(where + "#" + field + ": default " + property.get("default") + ", record " + expected);
            }
            if (!hasDefault && property.has("default")) {
                mismatches.add(where + "#" + field + ": the schema has a default, the record none");
            }
            JsonPropertyDescription description = find(annotations(RunSpec.class, c), JsonPropertyDescription.class);
            String text = description == null ? null : description.value();
            if (text == null || !text.equals(property.path("description").asText(null))) {
                mismatches.add(where + "#" + field + ": description " + property.path("description") + ", record "
                        + text);
            }
        }
        for (String field : List.of("dataset", "method")) {
            if (!required.contains(field)) {
                mismatches.add(where + ": " + field + " has no default, the schema must require it");
            }
        }
    }

    private void compareValue(String where, JsonNode schema, Type type, AnnotatedType annotated,
            Annotation[] annotations, boolean primitive) {
        Class<?> raw = raw(type);
        Set<String> types = new TreeSet<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(t -> types.add(t.asText()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asText());
        }
        if (types.contains("null") && primitive) {
            mismatches.add(where + ": the schema allows null, the record field is a primitive");
        }
        types.remove("null");
        if (raw.isEnum()) {
            expectEnum(where, schema, JsonEnums.names(raw));
        } else if (raw == String.class) {
            Pattern pattern = find(annotations, Pattern.class);
            if (schema.has("enum")) {
                List<String> values = pattern == null ? List.of() : Arrays.asList(pattern.regexp().split("\\|"));
                expectEnum(where, schema, values);
            } else {
                expectType(where, types, "string");
                String expected = pattern == null ? null : pattern.regexp();
                if (!java.util.Objects.equals(expected, schema.path("pattern").asText(null))) {
                    mismatches.add(where + ": pattern " + schema.get("pattern") + ", record " + expected);
                }
            }
        } else if (raw == Instant.class) {
            expectType(where, types, "string");
            if (!"date-time".equals(schema.path("format").asText())) {
                mismatches.add(where + ": an Instant must have format date-time");
            }
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            expectType(where, types, "integer");
        } else if (raw == Double.class || raw == double.class) {
            expectType(where, types, "number");
        } else if (raw == Boolean.class || raw == boolean.class) {
            expectType(where, types, "boolean");
        } else if (Map.class.isAssignableFrom(raw)) {
            expectType(where, types, "object");
        } else if (Collection.class.isAssignableFrom(raw)) {
            expectType(where, types, "array");
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            AnnotatedType annotatedElement = ((AnnotatedParameterizedType) annotated).getAnnotatedActualTypeArguments()[0];
            compareValue(where + "[]", schema.path("items"), element, annotatedElement,
                    annotatedElement.getDeclaredAnnotations(), false);
            Size size = find(annotations, Size.class);
            Integer min = size == null ? (find(annotations, NotEmpty.class) == null ? null : 1)
                    : (size.min() == 0 ? null : size.min());
            Integer max = size == null || size.max() == Integer.MAX_VALUE ? null : size.max();
            expectNumber(where, schema, "minItems", min == null ? null : BigDecimal.valueOf(min));
            expectNumber(where, schema, "maxItems", max == null ? null : BigDecimal.valueOf(max));
            return;
        } else if (raw.isRecord()) {
            if (schema.has("$ref")) {
                return; // another schema file, compared on its own
            }
            @SuppressWarnings("unchecked")
            Class<? extends Record> record = (Class<? extends Record>) raw;
            compareObject(where, schema, record);
            return;
        } else {
            mismatches.add(where + ": no JSON mapping known for " + raw);
        }
        compareBounds(where, schema, annotations);
    }

    private void compareBounds(String where, JsonNode schema, Annotation[] annotations) {
        BigDecimal minimum = null;
        BigDecimal exclusiveMinimum = null;
        BigDecimal maximum = null;
        BigDecimal exclusiveMaximum = null;
        for (Annotation a : annotations) {
            if (a instanceof Min min) {
                minimum = BigDecimal.valueOf(min.value());
            } else if (a instanceof Max max) {
                maximum = BigDecimal.valueOf(max.value());
            } else if (a instanceof PositiveOrZero) {
                minimum = BigDecimal.ZERO;
            } else if (a instanceof DecimalMin min) {
                if (min.inclusive()) {
                    minimum = new BigDecimal(min.value());
                } else {
                    exclusiveMinimum = new BigDecimal(min.value());
                }
            } else if (a instanceof DecimalMax max) {
                if (max.inclusive()) {
                    maximum = new BigDecimal(max.value());
                } else {
                    exclusiveMaximum = new BigDecimal(max.value());
                }
            }
        }
        expectNumber(where, schema, "minimum", minimum);
        expectNumber(where, schema, "exclusiveMinimum", exclusiveMinimum);
        expectNumber(where, schema, "maximum", maximum);
        expectNumber(where, schema, "exclusiveMaximum", exclusiveMaximum);
    }

    private void expectType(String where, Set<String> types, String expected) {
        if (!types.equals(Set.of(expected))) {
            mismatches.add(where + ": schema type " + types + ", record type " + expected);
        }
    }

    private void expectEnum(String where, JsonNode schema, List<String> values) {
        List<String> schemaValues = new ArrayList<>();
        schema.path("enum").forEach(v -> schemaValues.add(v.asText()));
        if (!schemaValues.equals(values)) {
            mismatches.add(where + ": schema enum " + schemaValues + ", record " + values);
        }
    }

    private void expectNumber(String where, JsonNode schema, String keyword, BigDecimal expected) {
        JsonNode actual = schema.get(keyword);
        boolean same = expected == null ? actual == null
                : actual != null && actual.isNumber() && actual.decimalValue().compareTo(expected) == 0;
        if (!same) {
            mismatches.add(where + ": " + keyword + " " + actual + ", record " + expected);
        }
    }

    private static boolean sameJson(JsonNode expected, JsonNode actual) {
        if (actual == null) {
            return false;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    /**
     * A component's annotations: Jackson's and Jakarta Validation's land on the record's field (their targets do not
     * include record components), type-use ones on the component's type.
     */
    private static Annotation[] annotations(Class<?> record, RecordComponent c) {
        try {
            List<Annotation> all = new ArrayList<>(Arrays.asList(record.getDeclaredField(c.getName()).getAnnotations()));
            all.addAll(Arrays.asList(c.getAnnotatedType().getAnnotations()));
            return all.toArray(Annotation[]::new);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> kind) {
        for (Annotation a : annotations) {
            if (kind.isInstance(a)) {
                return kind.cast(a);
            }
        }
        return null;
    }

    /** Writes the record's descriptions and defaults into run-spec.schema.json (developer use, see class doc). */
    private static void updateRunSpecSchema() throws Exception {
        Path file = EVENTS.resolve("run-spec.schema.json");
        ObjectNode schema = (ObjectNode) ContractJson.mapper().readTree(file.toFile());
        ObjectNode properties = (ObjectNode) schema.get("properties");
        JsonNode defaults = ContractJson.tree(RunSpec.defaults());
        for (RecordComponent c : RunSpec.class.getRecordComponents()) {
            ObjectNode property = (ObjectNode) properties.get(c.getName());
            if (property == null) {
                continue;
            }
            JsonPropertyDescription description = find(annotations(RunSpec.class, c), JsonPropertyDescription.class);
            if (description != null) {
                property.put("description", description.value());
            }
            JsonNode value = defaults.get(c.getName());
            if (value != null && !value.isNull()) {
                property.set("default", value);
            } else {
                property.remove("default");
            }
        }
        Files.writeString(file, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema)
                + "\n");
    }
}
