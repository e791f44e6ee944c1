package io.tessera.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one home of the platform's configuration: built-in defaults, overridden by
 * {@code <home>/platform.properties}, overridden by command-line {@code --set key=value}.
 *
 * <p>The defaults run everything on one machine, bound to 127.0.0.1. Keys are documented in the README.
 */
public final class StackSettings {

    public static final String FILE_NAME = "platform.properties";
    public static final String BIND_HOST = "127.0.0.1";

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("kafka.port", "9092"),
            Map.entry("kafka.controller.port", "9093"),
            Map.entry("cassandra.port", "9042"),
            Map.entry("cassandra.storage.port", "7000"),
            Map.entry("cassandra.jmx.port", "7199"),
            Map.entry("cassandra.heap", "1g"),
            Map.entry("cassandra.replication.factor", "1"),
            Map.entry("cassandra.consistency", "LOCAL_QUORUM"),
            Map.entry("serving.retained.views", "3"),
            Map.entry("serving.host", "127.0.0.1"),
            Map.entry("serving.port", "8090"),
            Map.entry("serving.max.batch", "100"),
            Map.entry("serving-layer.heap", "1g"),
            Map.entry("speed.rest.port", "8081"),
            Map.entry("speed-layer.heap", "2g"),
            Map.entry("iceberg.port", "8181"),
            Map.entry("trino.port", "8080"),
            Map.entry("trino.heap", "2g"),
            Map.entry("flink.port", "8082"),
            Map.entry("flink.rpc.port", "6123"),
            Map.entry("flink.taskmanager.slots", "4"),
            Map.entry("flink.taskmanager.heap", "1g"),
            Map.entry("start.timeout.seconds", "180"));

    private final Path home;
    private final Map<String, String> values;

    private StackSettings(Path home, Map<String, String> values) {
        this.home = home;
        this.values = values;
    }

    /** Reads {@code <home>/platform.properties} if present and applies {@code overrides} on top. */
    public static StackSettings load(Path home, Map<String, String> overrides) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Path file = absoluteHome.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        }
        values.putAll(overrides);
        return new StackSettings(absoluteHome, Map.copyOf(values));
    }

    public Path home() {
        return home;
    }

    public Path logDir() {
        return home.resolve("logs");
    }

    public Path runDir() {
        return home.resolve("run");
    }

    /** Where a service keeps its data and generated configuration. */
    public Path serviceDir(ServiceName service) {
        return home.resolve("services").resolve(service.id());
    }

    /** The Iceberg warehouse: the lake's data and metadata files. */
    public Path warehouse() {
        return Path.of(values.getOrDefault("iceberg.warehouse", home.resolve("lake").toString()));
    }

    /** Where clients reach each server: derived here only, from the ports. */
    public String kafkaBootstrap() {
        return BIND_HOST + ":" + port("kafka.port");
    }

    public String cassandraAddress() {
        return BIND_HOST + ":" + port("cassandra.port");
    }

    public String icebergCatalogUri() {
        return "http://" + BIND_HOST + ":" + port("iceberg.port");
    }

    public String trinoJdbcUrl() {
        return "jdbc:trino://" + BIND_HOST + ":" + port("trino.port");
    }

    public int port(String key) {
        String value = require(key);
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + value + " is not a port number (1-65535)");
        }
    }

    public String value(String key) {
        return require(key);
    }

    public java.util.Optional<String> optional(String key) {
        return java.util.Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    /** Every effective setting, sorted by key, for {@code platform stack status --verbose} and logs. */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    private String require(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("setting '" + key + "' is not set (file " + home.resolve(FILE_NAME) + ")");
        }
        return value;
    }
}
