package org.falab.contracts.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The event contract of docs/events (JSON Schema 2020-12 and examples), for the contract test of each service.
 * Schemas refer to each other by their {@code $id}s, which are mapped to the files on disk.
 */
public final class EventContract {

    private static final String ID_PREFIX = "https://falab.org/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Formats (date-time, ...) are checked, not only noted. */
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final Path dir;
    private final JsonSchemaFactory factory;

    private EventContract(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        String base = this.dir.toUri().toString();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, base)));
    }

    /** The contract as seen from a module folder (docs/ is one level up from each service). */
    public static EventContract fromModule() {
        for (Path candidate : List.of(Path.of("..", "docs", "events"), Path.of("..", "..", "docs", "events"),
                Path.of("docs", "events"))) {
            if (Files.isDirectory(candidate)) {
                return new EventContract(candidate);
            }
        }
        throw new IllegalStateException("docs/events not found from " + Path.of("").toAbsolutePath());
    }

    /** Validation errors of {@code event} against e.g. {@code run-event.schema.json}; empty when it conforms. */
    public List<String> violations(String schemaFile, JsonNode event) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of(ID_PREFIX + schemaFile), CONFIG);
        return schema.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Same, for a JSON text. */
    public List<String> violations(String schemaFile, String eventJson) {
        try {
            return violations(schemaFile, JSON.readTree(eventJson));
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    /** The example files whose names start with {@code prefix}, e.g. {@code run-event}. */
    public List<Path> examples(String prefix) {
        try (Stream<Path> files = Files.list(dir.resolve("examples"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
