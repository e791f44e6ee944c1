package io.tessera.jobs.speed;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.tessera.stack.Launch;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.StackSettings;

/**
 * The speed layer of one pipeline as a job on a Flink session cluster. No process of ours runs it: the
 * client submits it and exits, and what the home keeps is its record, {@code run/speed-<pipeline>.session}
 * (the cluster's REST endpoint and the job's id). Status and stop speak to the cluster's REST API; stop is
 * a stop-with-savepoint into the pipeline's state folder, the one a local speed layer uses too, so either
 * resumes where the other stopped. The client's output goes to the pipeline's speed log.
 */
final class SessionJob {

    /** Flink's states from which a job does not come back. */
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(2);
    private static final int LOG_TAIL_LINES = 20;

    /** What the record holds. */
    record Recorded(FlinkMaster master, String jobId) {
    }

    private final String pipeline;
    private final Path record;
    private final Path submittedId;
    private final Path log;
    /** The speed layer's supervised process record: only its log is used, shared with the local job's. */
    private final ServiceProcess logOwner;

    SessionJob(StackSettings settings, String pipeline, ServiceProcess logOwner) {
        this.pipeline = pipeline;
        this.record = settings.runDir().resolve("speed-" + pipeline + ".session");
        this.submittedId = settings.runDir().resolve("speed-" + pipeline + ".submitted");
        this.logOwner = logOwner;
        this.log = logOwner.logFile();
    }

    /** Where the client writes the id of the job it submitted ({@code speed-job run --job-id-file}). */
    Path submittedIdFile() {
        return submittedId;
    }

    Optional<Recorded> recorded() throws IOException {
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        Properties values = new Properties();
        values.load(new StringReader(Files.readString(record)));
        try {
            return Optional.of(new Recorded(FlinkMaster.parse(values.getProperty("master", "")), values.getProperty("job", "")));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(record + " is not a record of a session job (" + e.getMessage() + "): remove it", e);
        }
    }

    /**
     * Runs the client (the speed job's JVM, which builds the job graph and submits it with the jar), records
     * the job and waits until the cluster runs it and all its tasks.
     *
     * @return the client's first line (generation, restored or not, web UI) with the job's id
     * @throws IllegalStateException when nothing answers at {@code master}, the client fails or takes longer
     *     than {@code timeout}, or the job fails or does not run within it (it is then cancelled)
     */
    String submit(FlinkMaster master, Launch client, Duration timeout) throws IOException, InterruptedException {
        FlinkRest rest = master.rest();
        try {
            rest.version();
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();   // a refused connection has no message
            throw new IllegalStateException("no Flink REST API answers at http://" + master + " (" + why + "): start a session cluster"
                    + " with `platform stack up flink`, or check --flink-master", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long logStart = runClient(client, timeout);
        String jobId = Files.readString(submittedId).trim();
        Files.delete(submittedId);
        Files.writeString(record, "master=" + master + System.lineSeparator() + "job=" + jobId + System.lineSeparator());
        while (true) {
            Optional<FlinkRest.Job> job = rest.jobById(jobId);
            if (job.isPresent() && job.get().isRunning()) {
                break;
            }
            if (job.isPresent() && TERMINAL.contains(job.get().state())) {
                Files.deleteIfExists(record);
                throw new IllegalStateException("the job " + jobId + " of the speed layer of " + pipeline + " is " + job.get().state()
                        + " on the session cluster at " + master + ": " + rest.rootException(jobId).orElse("see " + rest.webUi()));
            }
            if (System.nanoTime() > deadline) {
                rest.cancel(jobId);
                Files.deleteIfExists(record);
                throw new IllegalStateException("the job " + jobId + " of the speed layer of " + pipeline + " was not running within "
                        + timeout.toSeconds() + " s (setting start.timeout.seconds), so it was cancelled; "
                        + rest.rootException(jobId).orElse("see " + rest.webUi()));
            }
            Thread.sleep(POLL.toMillis());
        }
        String banner = logOwner.logLines(logStart).filter(line -> line.startsWith("speed layer of ")).findFirst()
                .orElse("speed layer of " + pipeline + "; Flink web UI " + rest.webUi());
        return banner + "; job " + jobId + " on the Flink session cluster at " + master + " (no local process), client log " + log;
    }

    /** What the cluster says of the job; never throws for a job that is gone or a cluster that does not answer, it says so. */
    SpeedStatus status(Recorded job) throws InterruptedException {
        FlinkRest rest = job.master().rest();
        Optional<String> runsIn = Optional.of("job " + job.jobId());
        try {
            Optional<FlinkRest.Job> found = rest.jobById(job.jobId());
            if (found.isEmpty() || TERMINAL.contains(found.get().state())) {
                return SpeedStatus.down(pipeline, "its job " + job.jobId() + " is " + found.map(FlinkRest.Job::state).orElse("unknown")
                        + " on the session cluster at " + job.master() + "; `platform speed stop` forgets it");
            }
            return new SpeedStatus(pipeline, runsIn, found.get().describe(), Duration.between(found.get().started(), Instant.now()),
                    Optional.of(rest.checkpoints(job.jobId())), rest.realtimeRows(job.jobId()), rest.webUi(), "");
        } catch (IOException e) {
            return new SpeedStatus(pipeline, runsIn, "UNKNOWN", Duration.ZERO, Optional.empty(), Optional.empty(), rest.webUi(),
                    "the session cluster does not answer: " + e.getMessage());
        }
    }

    /**
     * Stops the job with a savepoint into {@code savepoints} once every task runs; cancels a job that
     * restarts; forgets one that is gone. The record is removed unless the job keeps running.
     *
     * @throws IllegalStateException when the cluster does not answer, or the savepoint fails or takes too long
     */
    String stop(Recorded job, Path savepoints) throws IOException, InterruptedException {
        FlinkRest rest = job.master().rest();
        String where = "job " + job.jobId() + " on the session cluster at " + job.master();
        Optional<FlinkRest.Job> found;
        try {
            found = rest.jobById(job.jobId());
            long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
            while (found.isPresent() && found.get().state().equals("RUNNING") && !found.get().isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(POLL.toMillis()); // just submitted: a savepoint needs every task running
                found = rest.jobById(job.jobId());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the session cluster at " + job.master() + " does not answer (" + e.getMessage() + "); the record of "
                    + where + " stays in " + record, e);
        }
        if (found.isEmpty() || TERMINAL.contains(found.get().state())) {
            Files.deleteIfExists(record);
            return "the speed layer of " + pipeline + " was not running: its " + where + " is " + found.map(FlinkRest.Job::state).orElse("unknown")
                    + "; its record is removed and the next start restores from its newest checkpoint or savepoint";
        }
        if (!found.get().isRunning()) {
            rest.cancel(job.jobId());
            Files.deleteIfExists(record);
            return "the speed layer of " + pipeline + " stopped without a savepoint (cancelled): its " + where + " was " + found.get().describe()
                    + "; the next start restores from its newest checkpoint";
        }
        String trigger = rest.stopWithSavepoint(job.jobId(), savepoints);
        long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
        while (true) {
            FlinkRest.SavepointTrigger outcome = rest.savepoint(job.jobId(), trigger);
            if (outcome.done() && outcome.failure().isPresent()) {
                throw new IllegalStateException("the savepoint of the speed layer of " + pipeline + " failed, the job keeps running: "
                        + outcome.failure().get());
            }
            if (outcome.done()) {
                Files.deleteIfExists(record);
                return "the speed layer of " + pipeline + " stopped with savepoint " + SpeedLayer.path(outcome.location().orElseThrow()) + " (" + where + ")";
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the savepoint of the speed layer of " + pipeline + " did not complete within "
                        + SAVEPOINT_TIMEOUT.toSeconds() + " s; the job keeps running (see " + rest.webUi() + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The client in the foreground, its output appended to the log; returns where in the log its output begins. */
    private long runClient(Launch client, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.createDirectories(submittedId.getParent());
        Files.deleteIfExists(submittedId);
        long logStart = logOwner.logSize();
        Files.writeString(log, "---- " + Instant.now() + " submit: " + String.join(" ", client.command()) + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(client.command()).directory(client.workingDirectory().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(client.environment());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the client of the speed layer of " + pipeline + " did not submit its job within " + timeout.toSeconds()
                    + " s (setting start.timeout.seconds); the end of " + log + ":" + System.lineSeparator() + logOwner.logTail(logStart, LOG_TAIL_LINES));
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(submittedId)) {
            throw new IllegalStateException("the client of the speed layer of " + pipeline + " failed to submit its job (exit " + process.exitValue()
                    + "); the end of " + log + ":" + System.lineSeparator() + logOwner.logTail(logStart, LOG_TAIL_LINES));
        }
        return logStart;
    }
}
