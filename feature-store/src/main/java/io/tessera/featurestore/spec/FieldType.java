package io.tessera.featurestore.spec;

import io.tessera.featurestore.expr.VariableType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The type of a source field. {@code int} and {@code long} both hold 64-bit integers once decoded. */
public enum FieldType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    DOUBLE("double"),
    BOOLEAN("boolean");

    private final String specName;

    FieldType(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    /** How expressions see a field of this type. */
    public VariableType variableType() {
        return switch (this) {
            case STRING -> VariableType.STRING;
            case INT, LONG -> VariableType.INT;
            case DOUBLE -> VariableType.DOUBLE;
            case BOOLEAN -> VariableType.BOOL;
        };
    }

    public boolean isNumeric() {
        return this == INT || this == LONG || this == DOUBLE;
    }

    public static Optional<FieldType> bySpecName(String name) {
        return Arrays.stream(values()).filter(t -> t.specName.equals(name)).findFirst();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(FieldType::specName).toList();
    }
}
