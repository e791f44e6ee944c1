package io.tessera.jobs.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.stack.Launch;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.StackSettings;

/**
 * {@code platform scheduler run} of a home in the background under the stack's supervision, like the query
 * API: pid file {@code run/scheduler.pid}, log {@code logs/scheduler.log}. It is this command line in a
 * JVM of its own; stopping it (SIGTERM, then SIGKILL) stops a retrain it runs too, and the retrain's lease
 * expires by itself.
 */
final class SchedulerService {

    static final String ID = "scheduler";
    private static final Duration TERM_GRACE = Duration.ofSeconds(15);

    private final ServiceProcess process;

    SchedulerService(StackSettings settings) {
        this.process = new ServiceProcess(settings, ID);
    }

    Path logFile() {
        return process.logFile();
    }

    boolean isRunning() {
        return process.live().isPresent();
    }

    /** True when a pid file says it was started in this home (it may have died since). */
    boolean isKnown() {
        return process.live().isPresent() || process.isStale();
    }

    /**
     * Starts {@code scheduler run} with {@code runArgs} (after {@code --home} and the {@code --set}s of
     * this run) and waits until it schedules, i.e. it reached Cassandra and the catalog.
     *
     * @throws IllegalStateException when it runs already, or dies or does not schedule within {@code timeout}
     *     (then it is stopped, and the log's last lines are in the message)
     */
    String start(StackSettings settings, Map<String, String> overrides, List<String> runArgs, Duration timeout)
            throws IOException, InterruptedException {
        Optional<ProcessHandle> running = process.live();
        if (running.isPresent()) {
            throw new IllegalStateException("the scheduler already runs (pid " + running.get().pid() + "); stop it first with"
                    + " `platform stack down scheduler`");
        }
        process.clearStale();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-Dtessera.root=" + Path.of(System.getProperty("tessera.root", ".")).toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), PlatformCommand.class.getName(),
                "--home", settings.home().toAbsolutePath().toString()));
        overrides.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        command.addAll(List.of("scheduler", "run"));
        command.addAll(runArgs);
        long logStart = process.logSize();
        ProcessHandle handle = process.start(new Launch(command, Path.of("").toAbsolutePath()));
        process.awaitStarted(handle, logStart, () -> process.logLines(logStart).anyMatch(line -> line.startsWith(SchedulerCommand.SCHEDULING)),
                timeout, "the scheduler", "the scheduler did not start", process::clearStale);
        return "scheduler running: pid " + handle.pid() + ", log " + logFile() + " (history: platform jobs list)";
    }

    /** One line for {@code stack status}, and whether it runs. */
    record Status(boolean up, String line) {
    }

    Status status() {
        Optional<ProcessHandle> live = process.live();
        if (live.isEmpty()) {
            return new Status(false, String.format("%-24s %-8s %-10s  (%s)", ID, "down", "-",
                    process.isStale() ? "the process died; see " + logFile() : "not running"));
        }
        Duration uptime = live.get().info().startInstant().map(start -> Duration.between(start, Instant.now())).orElse(Duration.ZERO);
        return new Status(true, String.format("%-24s %-8s %-10s up %s, log %s", ID, "running", "pid " + live.get().pid(),
                uptime.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(), logFile()));
    }

    String stop() throws IOException {
        if (process.live().isEmpty()) {
            boolean died = process.isStale();
            process.clearStale();
            return "the scheduler is not running" + (died ? " (it had died; its pid file is removed; see " + logFile() + ")" : "");
        }
        boolean clean = process.stop(TERM_GRACE);
        return "the scheduler stopped" + (clean ? "" : " (SIGKILL after " + TERM_GRACE.toSeconds() + " s)");
    }
}
