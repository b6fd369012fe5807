package org.falab.contracts.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An enum whose JSON value is the {@link JsonProperty} of each constant ({@code "fashion-mnist"}, {@code "bp"}):
 * the name users type, in specs, events, messages and logs.
 */
public interface JsonName {

    /** The constant's JSON value. */
    default String jsonName() {
        return JsonEnums.name((Enum<?>) this);
    }
}
