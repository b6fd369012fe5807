package org.falab.cli;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.JsonEnums;
import org.falab.contracts.spec.RunSpec;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One option of {@code falab run submit} per field of the contract's {@link RunSpec}, derived from the record
 * itself: the name ({@code batchSize} is {@code --batch-size}), the type (an enum takes its JSON values, a list of
 * numbers is comma-separated, a boolean is {@code --augment}/{@code --no-augment}), the description
 * ({@link JsonPropertyDescription}) and the default ({@link RunSpec#defaults()}). A field added to the contract is an
 * option at once; the bounds stay the gateway's to check (its problem+json names the field).
 */
final class RunSpecOptions {

    private RunSpecOptions() {
    }

    /** Adds an option per RunSpec field to {@code command}. */
    static void addTo(CommandSpec command) {
        RunSpec defaults = RunSpec.defaults();
        for (RecordComponent field : RunSpec.class.getRecordComponents()) {
            command.addOption(option(field, defaults));
        }
    }

    /** The fields given on the command line, as the JSON of a run spec (the value of each option as given). */
    static ObjectNode given(ParseResult parsed) {
        ObjectNode spec = ContractJson.object();
        for (RecordComponent field : RunSpec.class.getRecordComponents()) {
            OptionSpec option = parsed.commandSpec().findOption(optionName(field.getName()));
            if (option != null && parsed.hasMatchedOption(option)) {
                spec.set(field.getName(), ContractJson.mapper().valueToTree(option.getValue()));
            }
        }
        return spec;
    }

    /** {@code batchSize} -> {@code --batch-size}. */
    static String optionName(String field) {
        return "--" + field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static OptionSpec option(RecordComponent field, RunSpec defaults) {
        String name = optionName(field.getName());
        Class<?> type = field.getType();
        OptionSpec.Builder option = OptionSpec.builder(name).paramLabel(paramLabel(field.getName()));
        List<String> description = new ArrayList<>();
        description.add(description(field));
        if (type.isEnum()) {
            option.type(String.class).converters(value -> enumValue(type, value));
            description.add("One of: " + String.join(", ", JsonEnums.names(type)) + ".");
        } else if (type == List.class) {
            // every list of the spec is one of positive integers (hidden widths, channels, milestones)
            option.type(List.class).auxiliaryTypes(Integer.class).splitRegex(",").arity("1");
        } else if (type == Boolean.class) {
            option.type(Boolean.class).negatable(true).arity("0");
        } else {
            option.type(type);
        }
        Object fallback = defaultOf(field, defaults);
        description.add(required(field) ? "(required, here or in --spec)"
                : fallback == null ? "(default: none)" : "(default: " + fallback + ")");
        // picocli formats descriptions: a % of the contract's text must stay a %
        return option.description(String.join(" ", description).replace("%", "%%")).build();
    }

    private static String description(RecordComponent field) {
        try {
            JsonPropertyDescription text = RunSpec.class.getDeclaredField(field.getName())
                    .getAnnotation(JsonPropertyDescription.class);
            return (text == null ? field.getName() : text.value()) + ".";
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean required(RecordComponent field) {
        try {
            return RunSpec.class.getDeclaredField(field.getName()).isAnnotationPresent(NotNull.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String paramLabel(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Object defaultOf(RecordComponent field, RunSpec defaults) {
        try {
            Object value = field.getAccessor().invoke(defaults);
            if (value instanceof Enum<?> constant) {
                return JsonEnums.name(constant);
            }
            if (value instanceof List<?> list) {
                return list.isEmpty() ? "none" : String.join(",", list.stream().map(String::valueOf).toList());
            }
            return value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enumValue(Class<?> type, String value) {
        if (!JsonEnums.names(type).contains(value)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of "
                    + String.join(", ", JsonEnums.names(type)));
        }
        return value;
    }
}
