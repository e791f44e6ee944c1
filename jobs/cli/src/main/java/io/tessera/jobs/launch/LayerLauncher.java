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
 * ({@code target/classpath.txt}, plus {@code target/classpath-provided.txt} where the module leaves its
 * engine's runtime to a cluster: locally this JVM is the cluster), the way Spark and Flink users deploy jobs.
 */
public final class LayerLauncher {

    private final Path root;
    private final StackSettings settings;

    public LayerLauncher(StackSettings settings) {
        this.settings = settings;
        this.root = Path.of(System.getProperty("tessera.root", "."));
    }

    /**
     * Runs {@code layer}'s main with {@code args} in the foreground, its output on ours, and waits for it.
     * The output is copied to {@link System#out} and {@link System#err} rather than inherited, so that a
     * command run inside another program (the tests of the commands) shows it where that program reads
     * this JVM's output.
     *
     * @return the job's exit code
     */
    public int run(Layer layer, List<String> args) throws IOException, InterruptedException {
        Launch launch = launch(layer, args);
        ProcessBuilder builder = new ProcessBuilder(launch.command()).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(launch.environment());
        Process process = builder.start();
        Thread out = copy(process.getInputStream(), System.out);
        Thread err = copy(process.getErrorStream(), System.err);
        int exit = process.waitFor();
        out.join();
        err.join();
        return exit;
    }

    private static Thread copy(java.io.InputStream from, java.io.PrintStream to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                to.println("(the job's output could not be read further: " + e.getMessage() + ")");
            }
        }, "job-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
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
        classpath.addAll(entries(classpathFile));
        Path provided = moduleTarget.resolve("classpath-provided.txt");
        if (Files.isRegularFile(provided)) {
            classpath.addAll(entries(provided));
        }
        List<String> options = new ArrayList<>(JvmCommand.ENGINE_OPENS);
        String heap = settings.value(layer.module() + ".heap");
        options.add("-Xmx" + heap);
        if (layer.fixedHeap()) {
            options.add("-Xms" + heap);
        }
        options.addAll(settings.words(layer.module() + ".jvm.options"));
        options.add("-Dtessera.root=" + root);
        List<String> command = JvmCommand.java(JavaRuntimes.java(17, 17, settings.optional("java17.home"), "java17.home"))
                .options(options)
                .classpath(classpath)
                .main(layer.mainClass(), args.toArray(String[]::new))
                .build();
        // Spark otherwise picks the first non-loopback interface for its driver
        return new Launch(command, Path.of("").toAbsolutePath(), Map.of("SPARK_LOCAL_IP", StackSettings.BIND_HOST));
    }

    /**
     * The self-contained jar of {@code layer}'s job, for a cluster that provides its engine
     * ({@code target/<module>-<version>-job.jar}, made by the module's build).
     *
     * @throws IllegalStateException when the module's build made none
     */
    public Path jobJar(Layer layer) throws IOException {
        Path target = root.resolve(layer.module()).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches(java.util.regex.Pattern.quote(layer.module()) + "-.+-job\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(layer.module() + " has no job jar in " + target
                            + ": run ./platform again (it builds one) or mvn package"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(layer.module() + " is not built (" + target + " is missing): run ./platform again or mvn package");
        }
    }

    private static List<Path> entries(Path classpathFile) throws IOException {
        String text = Files.readString(classpathFile).trim();
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of).toList();
    }
}
