package io.tessera.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds JDKs on the machine. Servers need different ones: Cassandra, Spark and Kafka run on Java 17 only,
 * Trino 476 needs 24 or newer (docs/stack.md, "Versions that work together").
 */
public final class JavaRuntimes {

    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    private JavaRuntimes() {
    }

    /**
     * The {@code java} launcher of a JDK whose feature version lies in [min, max]: the configured home
     * first, then the running JVM, then {@code JAVA_HOME}, then {@code /usr/lib/jvm/*}.
     *
     * @throws MissingPrerequisiteException naming what is missing and where it was looked for
     */
    public static Path java(int min, int max, Optional<String> configuredHome, String settingKey) {
        if (configuredHome.isPresent()) {
            Path home = Path.of(configuredHome.get());
            int version = featureVersion(home).orElse(-1);
            if (version < min || version > max) {
                throw new MissingPrerequisiteException(settingKey + "=" + home + " is Java " + version + ", but " + range(min, max) + " is needed");
            }
            return home.resolve("bin/java");
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        if (Files.isDirectory(JVM_DIR)) {
            try (Stream<Path> homes = Files.list(JVM_DIR)) {
                homes.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(candidates::add);
            } catch (IOException e) {
                // an unreadable folder just contributes no candidate
            }
        }
        for (Path home : candidates) {
            int version = featureVersion(home).orElse(-1);
            if (version >= min && version <= max && Files.isExecutable(home.resolve("bin/java"))) {
                return home.resolve("bin/java");
            }
        }
        throw new MissingPrerequisiteException("no JDK " + range(min, max) + " found (looked at java.home, JAVA_HOME and "
                + JVM_DIR + "/*); install one (e.g. Temurin) and/or set " + settingKey + "=<its home>");
    }

    static Optional<Integer> featureVersion(Path home) {
        Path release = home.resolve("release");
        try {
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "Java " + min + " or newer" : min == max ? "Java " + min : "Java " + min + "-" + max;
    }
}
