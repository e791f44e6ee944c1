package io.tessera.featurestore.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What the model predicts. */
public enum Task {
    /** The probability that the label is 1 (or that {@code positive} holds). */
    BINARY_CLASSIFICATION("binary_classification"),
    /** The label's value. */
    REGRESSION("regression");

    private final String specName;

    Task(String specName) {
        this.specName = specName;
    }

    @JsonValue
    public String specName() {
        return specName;
    }

    @JsonCreator
    public static Task bySpecName(String name) {
        return Arrays.stream(values()).filter(t -> t.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown task '" + name + "'"));
    }
}
