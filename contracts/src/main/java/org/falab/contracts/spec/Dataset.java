package org.falab.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.falab.contracts.json.JsonName;

/** The data a run trains and tests on: a run spec's {@code dataset} field. */
public enum Dataset implements JsonName {
    /** Fashion-MNIST, 28x28 grey images, 10 classes. */
    @JsonProperty("fashion-mnist")
    FASHION_MNIST,
    /** MNIST digits, 28x28 grey images, 10 classes. */
    @JsonProperty("mnist")
    MNIST,
    /** CIFAR-10, 32x32 colour images, 10 classes. */
    @JsonProperty("cifar10")
    CIFAR10,
    /** CIFAR-100, 32x32 colour images, 100 classes. */
    @JsonProperty("cifar100")
    CIFAR100,
    /** Flat vectors labelled by a seeded random teacher network (no image). */
    @JsonProperty("synthetic")
    SYNTHETIC;

    /** The JSON name, so that logs and messages show what users type. */
    @Override
    public String toString() {
        return jsonName();
    }
}
