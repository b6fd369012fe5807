package org.falab.contracts.json;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON values of enum constants, read from their {@link JsonProperty} annotations (else the constant's name). */
public final class JsonEnums {

    private JsonEnums() {
    }

    /** The JSON value of one constant. */
    public static String name(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(JsonProperty.class);
            return property == null ? constant.name() : property.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The constant whose JSON value is {@code jsonName}; throws {@link IllegalArgumentException} naming the choices. */
    public static <E extends Enum<E>> E of(Class<E> type, String jsonName) {
        for (E constant : type.getEnumConstants()) {
            if (name(constant).equals(jsonName)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + jsonName + "' is not one of " + String.join(", ", names(type)));
    }

    /** The JSON values of every constant, in declaration order. */
    public static List<String> names(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> name((Enum<?>) c)).toList();
    }
}
