package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** The network architecture: a run spec's {@code model} field. */
public enum Model implements JsonName {
    /** Linear layers of the widths in hidden, then a head. */
    @JsonProperty("mlp")
    MLP,
    /** 3x3 conv blocks (conv, norm, ReLU, 2x2 max-pool) of the channels given, then hidden Linear layers and a head. */
    @JsonProperty("cnn")
    CNN,
    /** ResNet-18 of BasicBlocks with a CIFAR stem (3x3 conv, no max-pool). */
    @JsonProperty("resnet18")
    RESNET18,
    /** ResNet-20, the CIFAR layout of He et al. (3 stages of 3 blocks). */
    @JsonProperty("resnet20")
    RESNET20;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
