package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** How the fixed feedback matrices B are initialised (drawn independently of W): a run spec's {@code feedbackInit} field. */
public enum FeedbackInit implements JsonName {
    /** Xavier (Glorot) uniform. */
    @JsonProperty("xavier")
    XAVIER,
    /** Kaiming (He) uniform. */
    @JsonProperty("kaiming")
    KAIMING;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
