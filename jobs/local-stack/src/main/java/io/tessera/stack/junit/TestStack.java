package io.tessera.stack.junit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.tessera.stack.StackSettings;

/**
 * What a test sees of the local stack: where each server listens, and names of its own (topic, keyspace,
 * namespace) so tests stay isolated while sharing one stack. Each instance has a fresh suffix.
 */
public final class TestStack {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final StackSettings settings;
    private final String suffix;

    TestStack(StackSettings settings, String testName) {
        this.settings = settings;
        String base = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        base = base.length() > 24 ? base.substring(0, 24) : base;
        this.suffix = base + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    public String host() {
        return StackSettings.BIND_HOST;
    }

    public String kafkaBootstrap() {
        return settings.kafkaBootstrap();
    }

    public int cassandraPort() {
        return settings.port("cassandra.port");
    }

    public String icebergCatalogUri() {
        return settings.icebergCatalogUri();
    }

    public Path warehouse() {
        return settings.warehouse();
    }

    public String trinoJdbcUrl() {
        return settings.trinoJdbcUrl();
    }

    public StackSettings settings() {
        return settings;
    }

    /** A Kafka topic name of this test's own. */
    public String topic() {
        return "t_" + suffix;
    }

    /** A Cassandra keyspace of this test's own (at most 48 characters, as Cassandra requires). */
    public String keyspace() {
        String name = "ks_" + suffix;
        return name.length() > 48 ? name.substring(name.length() - 48).replaceFirst("^_+", "k") : name;
    }

    /** An Iceberg namespace of this test's own. */
    public String namespace() {
        return "ns_" + suffix;
    }
}
