package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** How a convolution's probe matrices are laid out: a run spec's {@code probeLayout} field. */
public enum ProbeLayout implements JsonName {
    /** One row per example and position, (N*H*W) x C. */
    @JsonProperty("positions")
    POSITIONS,
    /** One row per example, N x (C*H*W). */
    @JsonProperty("examples")
    EXAMPLES;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
