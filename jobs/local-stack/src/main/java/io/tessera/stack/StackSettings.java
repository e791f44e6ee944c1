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

    private final Path home;
    private final Map<String, String> values;
    /** Where each value came from: "default", the properties file, or "--set". */
    private final Map<String, String> sources;

    private StackSettings(Path home, Map<String, String> values, Map<String, String> sources) {
        this.home = home;
        this.values = values;
        this.sources = sources;
    }

    /**
     * Reads {@code <home>/platform.properties} if present and applies {@code overrides} on top.
     *
     * @throws SettingsException naming every unknown key (with the nearest known one) and every value
     *     that is not of its setting's kind, and where each came from
     */
    public static StackSettings load(Path home, Map<String, String> overrides) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Map<String, String> values = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (Setting setting : Setting.values()) {
            setting.defaultValue().ifPresent(value -> {
                values.put(setting.key(), value);
                sources.put(setting.key(), "default");
            });
        }
        Path file = absoluteHome.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            properties.stringPropertyNames().forEach(key -> {
                values.put(key, properties.getProperty(key).trim());
                sources.put(key, file.toString());
            });
        }
        overrides.forEach((key, value) -> {
            values.put(key, value.trim());
            sources.put(key, "--set");
        });
        SettingsException.check(values, sources);
        return new StackSettings(absoluteHome, Map.copyOf(values), Map.copyOf(sources));
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

    /** A setting of kind port: checked at load, so it parses. */
    public int port(String key) {
        return Integer.parseInt(require(key));
    }

    /** A whole-number setting (a count or seconds): checked at load, so it parses. */
    public int count(String key) {
        return Integer.parseInt(require(key));
    }

    public String value(String key) {
        return require(key);
    }

    public java.util.Optional<String> optional(String key) {
        known(key);
        return java.util.Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    /** A setting of space-separated words (such as {@code speed-layer.jvm.options}); empty when not set. */
    public java.util.List<String> words(String key) {
        return optional(key).map(value -> java.util.List.of(value.trim().split("\\s+"))).orElse(java.util.List.of());
    }

    /** A setting that names files, comma-separated (such as {@code serving.specs}); empty when not set. */
    public java.util.List<Path> files(String key) {
        return optional(key).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim).filter(file -> !file.isEmpty())
                .map(Path::of)
                .toList();
    }

    /** Where a setting's effective value came from: "default", the properties file's path, "--set", or "unset". */
    public String source(String key) {
        known(key);
        return sources.getOrDefault(key, "unset");
    }

    /** Every effective setting, sorted by key. */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    private String require(String key) {
        known(key);
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("setting '" + key + "' is not set (file " + home.resolve(FILE_NAME) + ")");
        }
        return value;
    }

    /** A key the code asks for must be in {@link Setting}: a misspelt one in the code fails loudly, not with a silent default. */
    private static void known(String key) {
        if (Setting.byKey(key).isEmpty()) {
            throw new IllegalArgumentException("the code asks for setting '" + key + "', which is not one of Setting's keys");
        }
    }
}
