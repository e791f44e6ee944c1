package io.tessera.stack;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The servers of the local stack, in start order (stop runs in reverse). Most are started by a bare
 * {@code stack up}; the others only when named (a Flink session cluster, for trying the speed layer the way
 * it is deployed, is not what a local speed layer needs).
 */
public enum ServiceName {
    KAFKA("kafka", true),
    CASSANDRA("cassandra", true),
    ICEBERG_CATALOG("iceberg-catalog", true),
    TRINO("trino", true),
    /** The JobManager of a Flink session cluster: its REST endpoint is what {@code --flink-master} names. */
    FLINK("flink", false),
    FLINK_TASKMANAGER("flink-taskmanager", false);

    private final String id;
    private final boolean byDefault;

    ServiceName(String id, boolean byDefault) {
        this.id = id;
        this.byDefault = byDefault;
    }

    public String id() {
        return id;
    }

    /** True when a bare {@code stack up} (and a {@code @LocalStackTest} that names nothing) starts it. */
    public boolean byDefault() {
        return byDefault;
    }

    public static Set<ServiceName> defaults() {
        return Arrays.stream(values()).filter(ServiceName::byDefault).collect(Collectors.toCollection(() -> EnumSet.noneOf(ServiceName.class)));
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
