package io.tessera.featurestore.lake;

import java.util.Objects;

/** One column of a lake table as every engine creates and reads it. */
public record LakeColumn(String name, Type type, boolean required) {

    /** The engine-neutral column types; each engine maps them to its own once. */
    public enum Type {
        STRING, INT, LONG, DOUBLE, BOOLEAN,
        /** UTC instant with millisecond or finer precision (Iceberg {@code timestamptz}). */
        TIMESTAMP
    }

    public LakeColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    static LakeColumn required(String name, Type type) {
        return new LakeColumn(name, type, true);
    }

    static LakeColumn optional(String name, Type type) {
        return new LakeColumn(name, type, false);
    }
}
