package org.falab.analysis.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The event contract as files: {@code ../docs/events/} seen from the module directory. */
public final class ContractSchemas {

    public static final Path EVENTS = Path.of("..", "docs", "events");
    private static final String ID_PREFIX = "https://falab.org/schemas/";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers ->
                    mappers.mapPrefix(ID_PREFIX, EVENTS.toAbsolutePath().normalize().toUri().toString())));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private ContractSchemas() {
    }

    public static JsonSchema schema(String file) {
        return FACTORY.getSchema(SchemaLocation.of(ID_PREFIX + file), CONFIG);
    }

    /** Validation errors of a JSON text; empty when it follows the schema. */
    public static Set<ValidationMessage> validate(String schemaFile, String json) {
        return schema(schemaFile).validate(json, InputFormat.JSON);
    }

    /** Example files whose names start with {@code prefix}. */
    public static List<Path> examples(String prefix) {
        try (Stream<Path> files = Files.list(EVENTS.resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
