package org.falab.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.Violations;
import org.junit.jupiter.api.Test;

/**
 * Every example under docs/events/examples goes through its record: read strictly, valid, and written back with
 * the same fields and values (fields the example leaves out come back as null). An example without a record, or a
 * record without an example, fails.
 */
class EventExamplesTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    /** Example file prefix -> the record it holds. */
    static final Map<String, Class<?>> RECORD_OF_EXAMPLE = Map.of(
            "run-requested", RunRequested.class,
            "run-event", RunEvent.class,
            "snapshot-recorded", SnapshotRecorded.class,
            "analysis-result", AnalysisResult.class,
            "alignment-result", AlignmentResult.class,
            "run-cancellation", RunCancellation.class);

    private final EventContract contract = EventContract.fromModule();

    @Test
    void everyExampleReadsIntoItsRecordAndWritesBackTheSame() throws Exception {
        List<Path> examples = contract.examples("");
        assertThat(examples).as("docs/events/examples").hasSizeGreaterThanOrEqualTo(RECORD_OF_EXAMPLE.size());
        for (Path example : examples) {
            String name = example.getFileName().toString();
            Class<?> type = RECORD_OF_EXAMPLE.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " matches no record"));
            String json = Files.readString(example);
            Object record = ContractJson.read(json, type);
            assertThat(Violations.of(VALIDATOR.validate(record))).as(name).isEmpty();
            JsonNode original = ContractJson.mapper().readTree(json);
            JsonNode written = ContractJson.tree(record);
            assertSameFields(name, original, written);
        }
        for (String prefix : RECORD_OF_EXAMPLE.keySet()) {
            assertThat(contract.examples(prefix)).as("an example of " + prefix).isNotEmpty();
        }
    }

    /** The written tree has every field of the original with an equal value; any other field it has is null. */
    private static void assertSameFields(String where, JsonNode original, JsonNode written) {
        if (original.isObject()) {
            for (Iterator<String> names = original.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                assertThat(written.has(field)).as(where + ": " + field + " written").isTrue();
                assertSameFields(where + "." + field, original.get(field), written.get(field));
            }
            for (Iterator<String> names = written.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!original.has(field)) {
                    assertThat(written.get(field).isNull()).as(where + ": extra field " + field).isTrue();
                }
            }
        } else if (original.isArray()) {
            assertThat(written.size()).as(where).isEqualTo(original.size());
            for (int i = 0; i < original.size(); i++) {
                assertSameFields(where + "[" + i + "]", original.get(i), written.get(i));
            }
        } else if (original.isNumber()) {
            assertThat(written.isNumber()).as(where).isTrue();
            assertThat(written.doubleValue()).as(where).isEqualTo(original.doubleValue());
        } else {
            assertThat(written).as(where).isEqualTo(original);
        }
    }
}
