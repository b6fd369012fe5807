package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** Which weight matrices Muon updates: a run spec's {@code muonScope} field (muon only). */
public enum MuonScope implements JsonName {
    /** The hidden matrices only; the first layer and the classifier head go to AdamW (the reference's split). */
    @JsonProperty("hidden")
    HIDDEN,
    /** Every weight matrix and conv filter, first layer and head included; biases and norm parameters stay AdamW. */
    @JsonProperty("all")
    ALL;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
