package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** Hidden-activity normalisation after every hidden layer: a run spec's {@code norm} field. */
public enum Norm implements JsonName {
    /** No normalisation. */
    @JsonProperty("none")
    NONE,
    /** Batch normalisation (statistics over the batch). */
    @JsonProperty("batch")
    BATCH,
    /** Layer normalisation (statistics over each example's features). */
    @JsonProperty("layer")
    LAYER;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
