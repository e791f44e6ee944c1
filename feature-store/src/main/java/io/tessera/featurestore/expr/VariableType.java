package io.tessera.featurestore.expr;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;

/** The type of a variable an expression can read, and the Java type its value must have. */
public enum VariableType {
    /** {@link String}. */
    STRING(SimpleType.STRING),
    /** 64-bit integer: {@link Long}. */
    INT(SimpleType.INT),
    /** {@link Double}. */
    DOUBLE(SimpleType.DOUBLE),
    /** {@link Boolean}. */
    BOOL(SimpleType.BOOL);

    private final CelType celType;

    VariableType(CelType celType) {
        this.celType = celType;
    }

    CelType celType() {
        return celType;
    }
}
