package io.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query API in a JVM of its own, started as {@code platform serve} starts it ({@code ServeMain}
 * on serving-layer's {@code target/classes} and {@code target/classpath.txt}): its heap, GC and CPU
 * are its own, not the load generator's, and a profile of it is of the server alone.
 */
final class ApiProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("query API on http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private ApiProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the API on a free loopback port and waits until it says where it listens.
     *
     * @param jvmOptions options of the API's JVM (heap, a flight recording)
     * @param serveOptions further options of {@code ServeMain}
     * @param log where its output goes
     */
    static ApiProcess start(Path repository, List<String> jvmOptions, List<String> serveOptions, Path spec, String cassandra, Path log) throws IOException,
            InterruptedException {
        Path target = repository.resolve("serving-layer/target");
        Path classpathFile = target.resolve("classpath.txt");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build serving-layer first (mvn -pl serving-layer,bench -am package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", target.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpathFile).trim(),
                "io.tessera.serving.api.ServeMain", "--spec", spec.toString(), "--cassandra", cassandra, "--port", "0"));
        command.addAll(serveOptions);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));   // an interrupted run leaves no server behind
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return new ApiProcess(process, Integer.parseInt(listening.group(1)));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the API exited (" + process.exitValue() + ") before it listened; its output is in " + log);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the API did not listen within 90 s; its output is in " + log);
    }

    int port() {
        return port;
    }

    /** CPU time the API's JVM has used so far, every thread (JIT and GC included). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * CPU time the API's JIT compiler threads have used so far (Linux: {@code /proc/<pid>/task}); -1 if
     * unknown. On a busy machine the compiler gets little CPU and compiles for minutes: until it is done
     * the server runs interpreted code and its figures are the JIT's, not the read path's.
     */
    long compilerNanos() {
        long ticks = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.contains("CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;   // not Linux, or a thread ended while listed: the caller stops waiting for the JIT
        }
        return ticks * 10_000_000L;   // USER_HZ is 100 on Linux
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();   // ServeMain's shutdown hook stops the server and closes the sessions
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
