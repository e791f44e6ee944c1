package io.tessera.stack;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** A {@code java} command line: one way of building it for every JVM the platform starts. */
public final class JvmCommand {

    /**
     * Spark's list of opens (docs/stack.md, "JVM flags"), for every engine JVM: the layers' jobs and the Flink
     * session cluster's processes. The parent pom passes the same list to test JVMs.
     */
    public static final List<String> ENGINE_OPENS = Arrays.stream(new String[] {"java.lang", "java.lang.invoke", "java.lang.reflect",
                    "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
                    "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar"})
            .map(pkg -> "--add-opens=java.base/" + pkg + "=ALL-UNNAMED")
            .toList();

    /**
     * The collector of the JVMs that run the speed layer's job (its own process, a session cluster's
     * TaskManager): its state is a heap of small objects replaced per event, and under G1 the refinement
     * and collector threads took a quarter of a core; the Parallel collector did 33% more events per
     * second and peaked 20% lower in RSS, for longer pauses (docs/stack.md, "Flink").
     */
    public static final String STREAMING_COLLECTOR = "-XX:+UseParallelGC";

    /**
     * The generations of the JVMs that run the speed layer's job, as shares of a heap started whole: half of it young,
     * fixed, of which two thirds eden and a sixth each survivor space (1800m, 1200m and 300m of the speed layer's
     * default 3600m); what survives three young collections is promoted. A key's state is replaced every few
     * seconds, about as long as an eden of the collector's own sizing lasted at 5,000 events/s, so most of it
     * was promoted and left the old generation to full collections; in this eden most of it dies young, and
     * what lives longer (rows no view covers yet) stops being copied at every collection (docs/stack.md, "Flink").
     */
    public static final String STREAMING_GENERATIONS = "-XX:NewRatio=1 -XX:SurvivorRatio=4 -XX:-UseAdaptiveSizePolicy -XX:MaxTenuringThreshold=3";

    private final Path java;
    private final List<String> options = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private String mainClass;
    private final List<String> arguments = new ArrayList<>();

    private JvmCommand(Path java) {
        this.java = java;
    }

    public static JvmCommand java(Path java) {
        return new JvmCommand(java);
    }

    public JvmCommand options(Collection<String> values) {
        options.addAll(values);
        return this;
    }

    public JvmCommand option(String value) {
        options.add(value);
        return this;
    }

    public JvmCommand systemProperty(String key, Object value) {
        options.add("-D" + key + "=" + value);
        return this;
    }

    public JvmCommand classpath(Collection<Path> entries) {
        entries.stream().map(Path::toString).forEach(classpath::add);
        return this;
    }

    public JvmCommand main(String className, String... args) {
        this.mainClass = className;
        arguments.addAll(List.of(args));
        return this;
    }

    public List<String> build() {
        if (mainClass == null) {
            throw new IllegalStateException("no main class");
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        if (!classpath.isEmpty()) {
            command.add("-cp");
            command.add(classpath.stream().collect(Collectors.joining(File.pathSeparator)));
        }
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
