package io.tessera.jobs.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.StackSettings;

/**
 * Runs a layer's job in its own JVM, in local mode, with the classpath its module's build wrote
 * ({@code target/classpath.txt}), the way Spark and Flink users deploy jobs.
 */
public final class LayerLauncher {

    /** Spark's list of opens (docs/stack.md, "JVM flags"); the parent pom passes the same list to test JVMs. */
    static final List<String> ENGINE_OPENS = Arrays.stream(new String[] {"java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
                    "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
                    "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar"})
            .map(pkg -> "--add-opens=java.base/" + pkg + "=ALL-UNNAMED")
            .toList();

    private final Path root;
    private final StackSettings settings;

    public LayerLauncher(StackSettings settings) {
        this.settings = settings;
        this.root = Path.of(System.getProperty("tessera.root", "."));
    }

    /**
     * Runs {@code layer}'s main with {@code args} in the foreground, its output on ours, and waits for it.
     *
     * @return the job's exit code
     */
    public int run(Layer layer, List<String> args) throws IOException, InterruptedException {
        Launch launch = launch(layer, args);
        ProcessBuilder process = new ProcessBuilder(launch.command()).inheritIO();
        process.environment().putAll(launch.environment());
        return process.start().waitFor();
    }

    /** How to start {@code layer}'s main with {@code args}: for {@link #run} and for a start in the background under the stack's supervision. */
    public Launch launch(Layer layer, List<String> args) throws IOException {
        Path moduleTarget = root.resolve(layer.module()).resolve("target");
        Path classpathFile = moduleTarget.resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(layer.module() + " is not built (" + classpathFile + " is missing): run ./platform again or mvn install");
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(moduleTarget.resolve("classes"));
        for (String entry : Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
            classpath.add(Path.of(entry));
        }
        List<String> options = new ArrayList<>(ENGINE_OPENS);
        options.add("-Xmx" + settings.value(layer.module() + ".heap"));
        options.add("-Dtessera.root=" + root);
        List<String> command = JvmCommand.java(JavaRuntimes.java(17, 17, settings.optional("java17.home"), "java17.home"))
                .options(options)
                .classpath(classpath)
                .main(layer.mainClass(), args.toArray(String[]::new))
                .build();
        // Spark otherwise picks the first non-loopback interface for its driver
        return new Launch(command, Path.of("").toAbsolutePath(), Map.of("SPARK_LOCAL_IP", StackSettings.BIND_HOST));
    }
}
