package io.tessera.featurestore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * feature-store is shared by every engine, so it must carry none of them: no Spark, Flink, Kafka or
 * Cassandra on its classpath (checked on the test classpath, which includes the compile one), and its
 * packages depend on each other without cycles.
 */
class ArchitectureTest {

    private static final List<String> FORBIDDEN = List.of(
            "org/apache/spark", "org/apache/flink", "org/apache/kafka", "org/apache/cassandra", "com/datastax",
            "org/scala-lang");

    @Test
    void noEngineIsOnTheClasspath() {
        List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        assertThat(entries).isNotEmpty();
        for (String entry : entries) {
            String normalized = entry.replace(File.separatorChar, '/');
            assertThat(FORBIDDEN).as("classpath entry %s", entry).noneMatch(normalized::contains);
        }
    }

    @Test
    void noEngineClassCanBeLoaded() {
        for (String engineClass : List.of("org.apache.spark.sql.SparkSession",
                "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment",
                "org.apache.kafka.clients.consumer.KafkaConsumer", "org.apache.cassandra.service.CassandraDaemon",
                "com.datastax.oss.driver.api.core.CqlSession", "scala.Predef")) {
            assertThat(loadable(engineClass)).as(engineClass).isFalse();
        }
    }

    @Test
    void packagesDependOnEachOtherWithoutCycles() throws IOException {
        Path main = mainSources();
        Map<String, Set<String>> uses = new HashMap<>();
        Pattern importLine = Pattern.compile("^import (?:static )?io\\.tessera\\.featurestore\\.(\\w+)\\.", Pattern.MULTILINE);
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = main.relativize(file.getParent()).toString();
                Matcher m = importLine.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.computeIfAbsent(pkg, k -> new HashSet<>()).add(m.group(1));
                    }
                }
            }
        }
        for (String pkg : uses.keySet()) {
            assertThat(reachable(pkg, uses)).as("packages reachable from %s (uses %s)", pkg, uses).doesNotContain(pkg);
        }
        assertThat(uses.getOrDefault("time", Set.of())).isEmpty();
        assertThat(uses.getOrDefault("aggregate", Set.of())).isEmpty();
    }

    private static Set<String> reachable(String from, Map<String, Set<String>> uses) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(uses.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static Path mainSources() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("feature-store/src/main/java/io/tessera/featurestore");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            candidate = dir.resolve("src/main/java/io/tessera/featurestore");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("feature-store sources not found");
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, ArchitectureTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
