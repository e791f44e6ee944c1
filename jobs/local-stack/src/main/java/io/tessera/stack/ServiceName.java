package io.tessera.stack;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The servers of the local stack, in start order (stop runs in reverse). */
public enum ServiceName {
    KAFKA("kafka"),
    CASSANDRA("cassandra"),
    ICEBERG_CATALOG("iceberg-catalog"),
    TRINO("trino");

    private final String id;

    ServiceName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ServiceName fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + id + "'; known: "
                        + Arrays.stream(values()).map(ServiceName::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
