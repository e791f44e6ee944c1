package io.tessera.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The process of one service, tracked through a pid file that also records the process start time, so a
 * pid reused by an unrelated process after a crash or reboot is recognised as stale. The stack's servers
 * and the jobs that run in the background beside them (a pipeline's speed layer) are supervised alike.
 */
public final class ServiceProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Duration START_POLL = Duration.ofMillis(250);
    private static final Duration START_TERM_GRACE = Duration.ofSeconds(15);
    private static final int START_LOG_TAIL_LINES = 20;

    /** What a started process must have done to count as started (answer a probe, print a line). */
    @FunctionalInterface
    public interface Readiness {
        boolean reached() throws IOException, InterruptedException;
    }

    /** What is left to remove when a start fails, beside the pid file (e.g. a recorded address). */
    @FunctionalInterface
    public interface Cleanup {
        void run() throws IOException;
    }

    private final Path pidFile;
    private final Path logFile;

    ServiceProcess(StackSettings settings, ServiceName name) {
        this(settings, name.id());
    }

    /** The process named {@code id} in this home: pid file {@code run/<id>.pid}, log {@code logs/<id>.log}. */
    public ServiceProcess(StackSettings settings, String id) {
        this.pidFile = settings.runDir().resolve(id + ".pid");
        this.logFile = settings.logDir().resolve(id + ".log");
    }

    public Path logFile() {
        return logFile;
    }

    /** The log's size now: where the lines of a start about to happen will begin. */
    public long logSize() throws IOException {
        return Files.exists(logFile) ? Files.size(logFile) : 0;
    }

    /** The log's lines from byte {@code offset} on (e.g. since a start), none if there is no log yet. */
    public java.util.stream.Stream<String> logLines(long offset) throws IOException {
        if (!Files.exists(logFile)) {
            return java.util.stream.Stream.empty();
        }
        try (java.io.InputStream in = Files.newInputStream(logFile)) {
            in.skipNBytes(Math.min(offset, Files.size(logFile)));
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines();
        }
    }

    /** The last {@code count} lines of the log from byte {@code offset} on, for a failure's message. */
    public String logTail(long offset, int count) throws IOException {
        List<String> lines = logLines(offset).toList();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** The live process this pid file names, if any. */
    public Optional<ProcessHandle> live() {
        return recordedValues().flatMap(values -> ProcessHandle.of(values[0])
                .filter(handle -> handle.isAlive() && startMillis(handle) == values[1]));
    }

    /** True when a pid file exists but names no live process of ours. */
    public boolean isStale() {
        return Files.exists(pidFile) && live().isEmpty();
    }

    public void clearStale() throws IOException {
        if (isStale()) {
            Files.delete(pidFile);
        }
    }

    /**
     * Starts the process detached from the caller's session (setsid), so it outlives {@code platform stack
     * up} and does not get the terminal's hang-up; its output is appended to the service's log file.
     */
    public ProcessHandle start(Launch launch) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(launch.command());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(launch.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(launch.environment());
        Files.writeString(logFile, "---- " + Instant.now() + " start: " + String.join(" ", command) + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessHandle handle = builder.start().toHandle();
        Files.writeString(pidFile, handle.pid() + " " + startMillis(handle) + System.lineSeparator());
        return handle;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; removes the pid file. Returns false if it had to kill. */
    /**
     * Waits until the process just started reaches {@code readiness}, polling.
     *
     * @param logStart {@link #logSize()} before the start: a failure quotes the log's lines since
     * @param what the process, for messages ("the query API")
     * @param notReady what a timeout means, as a clause ("the query API did not answer")
     * @throws IllegalStateException when the process exits first, or when {@code timeout} passes (it is then
     *     stopped); {@code cleanup} has run, and the message ends with the log's last lines
     */
    public void awaitStarted(ProcessHandle handle, long logStart, Readiness readiness, Duration timeout, String what, String notReady,
            Cleanup cleanup) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readiness.reached()) {
            if (!handle.isAlive()) {
                cleanup.run();
                throw new IllegalStateException(what + " exited during start; the end of " + logFile + ":" + System.lineSeparator()
                        + logTail(logStart, START_LOG_TAIL_LINES));
            }
            if (System.nanoTime() > deadline) {
                stop(START_TERM_GRACE);
                cleanup.run();
                throw new IllegalStateException(notReady + " within " + timeout.toSeconds() + " s (setting start.timeout.seconds), so it was"
                        + " stopped; the end of " + logFile + ":" + System.lineSeparator() + logTail(logStart, START_LOG_TAIL_LINES));
            }
            Thread.sleep(START_POLL.toMillis());
        }
    }

    public boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> process = live();
        boolean clean = true;
        if (process.isPresent()) {
            ProcessHandle handle = process.get();
            List<ProcessHandle> descendants = handle.descendants().toList();
            handle.destroy();
            try {
                handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                clean = false;
                handle.destroyForcibly();
                awaitExit(handle);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        Files.deleteIfExists(pidFile);
        return clean;
    }

    /** Waits up to {@code timeout} for the process to exit by itself; true when none runs any more. */
    public boolean awaitExit(Duration timeout) {
        Optional<ProcessHandle> process = live();
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitExit(ProcessHandle handle) {
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + handle.pid() + " survived SIGKILL", e);
        }
    }

    private Optional<long[]> recordedValues() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(pidFile).trim().split("\\s+");
            return Optional.of(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        } catch (IOException | RuntimeException e) {
            return Optional.of(new long[] {-1, -1});
        }
    }

    private static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
