package org.falab.contracts.json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Jackson's exceptions as {@link FieldViolation}s: the field's path and what a user should change. */
public final class JsonViolations {

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']+)'");

    private JsonViolations() {
    }

    /** The violation an exception of reading JSON stands for, its path under {@code prefix} (a field name or ""). */
    public static List<FieldViolation> of(IOException e, String prefix) {
        return List.of(violation(e, prefix));
    }

    private static FieldViolation violation(IOException e, String prefix) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new FieldViolation(join(prefix, path(u)), "unknown field; known fields: " + known);
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return new FieldViolation(orBody(join(prefix, path(v))), String.valueOf(cause.getMessage()));
        }
        if (e instanceof MismatchedInputException m) {
            Matcher missing = MISSING.matcher(String.valueOf(m.getOriginalMessage()));
            if (missing.find()) {
                String path = join(prefix, path(m));
                String field = path.equals(missing.group(1)) || path.endsWith("." + missing.group(1)) ? path
                        : join(path, missing.group(1));
                return new FieldViolation(field, "is required");
            }
            return new FieldViolation(orBody(join(prefix, path(m))), typeMessage(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m) {
            return new FieldViolation(orBody(join(prefix, path(m))), String.valueOf(m.getOriginalMessage()));
        }
        if (e instanceof InputCoercionException c && c.getProcessor() != null) {
            return new FieldViolation(orBody(join(prefix, contextPath(c.getProcessor().getParsingContext()))),
                    "is out of range: " + c.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException p) {
            String message = String.valueOf(p.getOriginalMessage());
            Matcher duplicate = DUPLICATE.matcher(message);
            String where = p.getLocation() == null ? ""
                    : " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")";
            if (duplicate.find()) {
                String field = p.getProcessor() instanceof JsonParser parser
                        ? contextPath(parser.getParsingContext()) : duplicate.group(1);
                return new FieldViolation(join(prefix, field.isEmpty() ? duplicate.group(1) : field),
                        "appears more than once" + where);
            }
            return new FieldViolation(orBody(prefix), "is not valid JSON: " + message + where);
        }
        return new FieldViolation(orBody(prefix), String.valueOf(e.getMessage()));
    }

    /** What a value of this Java type looks like in JSON, as a message: {@code must be one of bp, fa, ...}. */
    public static String typeMessage(Class<?> target) {
        String expected;
        if (target == null) {
            expected = "a value of another type";
        } else if (target.isEnum()) {
            return "must be one of " + String.join(", ", JsonEnums.names(target));
        } else if (target == Double.class || target == double.class || target == Float.class
                || target == float.class) {
            expected = "a number";
        } else if (Number.class.isAssignableFrom(target) || target == int.class || target == long.class) {
            expected = "an integer";
        } else if (target == Boolean.class || target == boolean.class) {
            expected = "true or false";
        } else if (Collection.class.isAssignableFrom(target)) {
            expected = "an array";
        } else if (target == String.class) {
            expected = "a string";
        } else if (target == java.time.Instant.class) {
            expected = "an ISO-8601 time";
        } else {
            expected = "a JSON object";
        }
        return "must be " + expected;
    }

    /** {@code hidden[1]} or {@code signals[0].rows} from Jackson's reference chain. */
    public static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String contextPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        String out = "";
        for (String part : parts) {
            out = join(out, part);
        }
        return out;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return prefix;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    private static String orBody(String path) {
        return path.isEmpty() ? "body" : path;
    }
}
