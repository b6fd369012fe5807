package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** How the learning rates change over training: a run spec's {@code schedule} field. */
public enum Schedule implements JsonName {
    /** The same rate throughout. */
    @JsonProperty("constant")
    CONSTANT,
    /** Cosine decay to 0 over the run. */
    @JsonProperty("cosine")
    COSINE,
    /** Multiplied by scheduleGamma after each epoch in scheduleMilestones. */
    @JsonProperty("steps")
    STEPS;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
