package io.tessera.jobs.speed;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.tessera.stack.Launch;
import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.StackSettings;

/**
 * The speed layer of one pipeline in a home, run in the background under the stack's supervision like its
 * servers: pid file {@code run/speed-<pipeline>.pid}, log {@code logs/speed-<pipeline>.log}, state folder
 * {@code speed/<pipeline>} (checkpoints, savepoints and the generation, from which the job restores by
 * itself). The port of its Flink REST API is recorded beside the pid file, because the setting may differ
 * between the start and a later status or stop. Or, submitted to a Flink session cluster, a job there
 * ({@link SessionJob}, record {@code run/speed-<pipeline>.session}), with the same state folder and log.
 */
public final class SpeedLayer {

    private static final String PREFIX = "speed-";
    private static final Duration POLL = Duration.ofMillis(250);
    /** A savepoint of this job's small state takes seconds; one that hangs is reported rather than waited on. */
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(2);
    /** After its savepoint the job finishes and the JVM exits by itself; this long, then SIGTERM. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** After SIGTERM this long, then SIGKILL. */
    private static final Duration TERM_GRACE = Duration.ofSeconds(15);

    private final StackSettings settings;
    private final String pipeline;
    private final ServiceProcess process;
    private final SessionJob session;

    public SpeedLayer(StackSettings settings, String pipeline) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.process = new ServiceProcess(settings, PREFIX + pipeline);
        this.session = new SessionJob(settings, pipeline, process);
    }

    /**
     * The pipelines whose speed layer runs in this home or on a session cluster, or ran and died (their pid
     * file or session record is still there).
     */
    public static List<SpeedLayer> known(StackSettings settings) throws IOException {
        if (!Files.isDirectory(settings.runDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(settings.runDir())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(PREFIX) && (name.endsWith(".pid") || name.endsWith(".session")))
                    .map(name -> name.substring(PREFIX.length(), name.lastIndexOf('.')))
                    .distinct()
                    .sorted()
                    .map(pipeline -> new SpeedLayer(settings, pipeline))
                    .toList();
        }
    }

    public String pipeline() {
        return pipeline;
    }

    public Path stateDir() {
        return settings.home().resolve("speed").resolve(pipeline);
    }

    public Path savepoints() {
        return stateDir().resolve("savepoints");
    }

    public Path logFile() {
        return process.logFile();
    }

    public boolean isRunning() {
        return process.live().isPresent();
    }

    /**
     * Starts the speed layer's JVM in the background and waits until Flink reports its job RUNNING.
     *
     * @return the job's own first line (generation, restored or not, web UI), with the pid and the log
     * @throws IllegalStateException when it already runs, the port is taken, or it dies or does not run
     *     within {@code timeout} (then it is stopped and the log's last lines are in the message)
     */
    public String start(Launch launch, int restPort, Duration timeout) throws IOException, InterruptedException {
        refuseIfStarted();
        process.clearStale();
        if (!LocalStack.isFree(restPort)) {
            throw new IllegalStateException("port " + restPort + " on " + StackSettings.BIND_HOST + " is taken (another speed layer or another"
                    + " program): choose Flink's REST port with --set speed.rest.port=PORT");
        }
        long logStart = process.logSize();
        Files.createDirectories(settings.runDir());
        Files.writeString(portRecord(), restPort + System.lineSeparator());
        ProcessHandle handle = process.start(launch);
        FlinkRest rest = new FlinkRest(restPort);
        process.awaitStarted(handle, logStart, () -> job(rest).map(FlinkRest.Job::isRunning).orElse(false), timeout,
                "the speed layer of " + pipeline, "the job of the speed layer of " + pipeline + " was not running", this::forget);
        // the job prints this line before it submits its job, so it is in the log by now
        String banner = process.logLines(logStart).filter(line -> line.startsWith("speed layer of ")).findFirst()
                .orElse("speed layer of " + pipeline + "; Flink web UI " + rest.webUi());
        return banner + "; pid " + handle.pid() + ", log " + logFile();
    }

    /**
     * Submits the speed layer to the Flink session cluster at {@code master} with {@code client} (the speed
     * job's JVM, given {@code --flink-master}, the job jar and {@link #submittedJobIdFile()}), records the job and
     * waits until the cluster runs it; no process of ours stays behind.
     *
     * @throws IllegalStateException when it already runs here or there, nothing answers at {@code master},
     *     or the submission or the job fails (see {@link SessionJob#submit})
     */
    public String startOnCluster(FlinkMaster master, Launch client, Duration timeout) throws IOException, InterruptedException {
        refuseIfStarted();
        process.clearStale();
        return session.submit(master, client, timeout);
    }

    /** Where the client of {@link #startOnCluster} writes the id of the job it submitted. */
    public Path submittedJobIdFile() {
        return session.submittedIdFile();
    }

    /** One speed layer per pipeline and home: two would write the same lake tables and realtime rows. */
    private void refuseIfStarted() throws IOException {
        Optional<ProcessHandle> running = process.live();
        if (running.isPresent()) {
            throw new IllegalStateException("the speed layer of " + pipeline + " already runs (pid " + running.get().pid() + ", Flink web UI "
                    + recordedRest().map(FlinkRest::webUi).orElse("?") + "); stop it first with `platform speed stop --spec ...`");
        }
        Optional<SessionJob.Recorded> submitted = session.recorded();
        if (submitted.isPresent()) {
            throw new IllegalStateException("the speed layer of " + pipeline + " already runs as job " + submitted.get().jobId()
                    + " on the Flink session cluster at " + submitted.get().master() + "; stop it first with `platform speed stop --spec ...`");
        }
    }

    /** Where the process and its job are; never throws for a speed layer that is down, it says so. */
    public SpeedStatus status() throws InterruptedException {
        Optional<SessionJob.Recorded> submitted;
        try {
            submitted = session.recorded();
        } catch (IOException e) {
            return SpeedStatus.down(pipeline, "cannot read its session record: " + e.getMessage());
        }
        if (submitted.isPresent()) {
            return session.status(submitted.get());
        }
        Optional<ProcessHandle> live = process.live();
        if (live.isEmpty()) {
            return SpeedStatus.down(pipeline, process.isStale() ? "the process died; see " + logFile() : "not running");
        }
        Optional<String> pid = Optional.of("pid " + live.get().pid());
        Duration uptime = live.get().info().startInstant().map(start -> Duration.between(start, Instant.now())).orElse(Duration.ZERO);
        Optional<FlinkRest> rest = recordedRest();
        if (rest.isEmpty()) {
            return new SpeedStatus(pipeline, pid, "UNKNOWN", uptime, Optional.empty(), Optional.empty(), "", "no record of its REST port in "
                    + portRecord());
        }
        try {
            Optional<FlinkRest.Job> job = rest.get().job(jobName());
            if (job.isEmpty()) {
                return new SpeedStatus(pipeline, pid, "NONE", uptime, Optional.empty(), Optional.empty(), rest.get().webUi(), "no job submitted yet");
            }
            return new SpeedStatus(pipeline, pid, job.get().describe(), uptime, Optional.of(rest.get().checkpoints(job.get().id())),
                    rest.get().realtimeRows(job.get().id()), rest.get().webUi(), "");
        } catch (IOException e) {
            return new SpeedStatus(pipeline, pid, "UNKNOWN", uptime, Optional.empty(), Optional.empty(), rest.get().webUi(),
                    "Flink REST does not answer: " + e);
        }
    }

    /**
     * Stops the job with a savepoint into {@link #savepoints()} (the next start restores from it), waits for
     * the JVM to exit (SIGTERM, then SIGKILL, if it does not) and removes the pid file; a job on a session
     * cluster is stopped with a savepoint through the cluster's REST API ({@link SessionJob#stop}).
     *
     * @return what happened, with the savepoint's path
     * @throws SavepointFailedException when the savepoint fails or takes too long: the job then keeps running
     */
    public String stop() throws IOException, InterruptedException {
        Optional<SessionJob.Recorded> submitted = session.recorded();
        if (submitted.isPresent()) {
            return session.stop(submitted.get(), savepoints());
        }
        if (process.live().isEmpty()) {
            boolean died = process.isStale();
            forget();
            return "the speed layer of " + pipeline + " is not running" + (died ? " (it had died; its pid file is removed; see " + logFile() + ")" : "");
        }
        Optional<FlinkRest> rest = recordedRest();
        Optional<FlinkRest.Job> job = rest.isPresent() ? job(rest.get()) : Optional.empty();
        long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
        while (job.isPresent() && job.get().state().equals("RUNNING") && !job.get().isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis()); // just started: a savepoint needs every task running
            job = job(rest.get());
        }
        if (job.isEmpty() || !job.get().isRunning()) {
            return stopWithoutSavepoint("its job was " + job.map(FlinkRest.Job::describe).orElse("not reachable"));
        }
        String jobId = job.get().id();
        Instant triggered = Instant.now();
        String trigger = rest.get().stopWithSavepoint(jobId, savepoints());
        Optional<String> location = awaitSavepoint(rest.get(), jobId, trigger, triggered);
        boolean exited = process.awaitExit(EXIT_TIMEOUT);
        boolean clean = process.stop(TERM_GRACE);
        forget();
        String how = exited ? "" : " (the JVM did not exit by itself within " + EXIT_TIMEOUT.toSeconds() + " s: " + (clean ? "SIGTERM" : "SIGKILL") + ")";
        if (location.isEmpty()) {
            throw new IllegalStateException("the speed layer of " + pipeline + " exited before its savepoint was written" + how
                    + "; the next start restores from its newest checkpoint; see " + logFile());
        }
        return "the speed layer of " + pipeline + " stopped with savepoint " + location.get() + how;
    }

    /**
     * {@link #stop()}, and should its savepoint fail, the JVM stopped all the same (SIGTERM, then SIGKILL), so
     * that the next start restores from the newest checkpoint: what {@code platform stack down} does, which
     * leaves no process behind. A job on a session cluster is left as {@link #stop()} leaves it.
     */
    public String stopEvenWithoutSavepoint() throws IOException, InterruptedException {
        try {
            return stop();
        } catch (SavepointFailedException e) {
            if (session.recorded().isPresent()) {
                throw e;
            }
            return e.getMessage() + "\n" + stopWithoutSavepoint("its savepoint failed");
        }
    }

    /** SIGTERM, then SIGKILL after a grace period; the pid file goes. */
    private String stopWithoutSavepoint(String why) throws IOException {
        boolean clean = process.stop(TERM_GRACE);
        forget();
        return "the speed layer of " + pipeline + " stopped without a savepoint (" + (clean ? "SIGTERM" : "SIGKILL") + "): " + why
                + "; the next start restores from its newest checkpoint";
    }

    /** A stop's savepoint failed or did not complete in time; the job keeps running. */
    public static final class SavepointFailedException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        SavepointFailedException(String message) {
            super(message);
        }
    }

    /**
     * Polls the stop-with-savepoint until Flink says it is done. The job finishes as soon as the savepoint
     * is complete and its JVM then exits, REST server and all, so a poll may find nobody answering: then
     * the savepoint is the one written to disk since the trigger, if any.
     */
    private Optional<String> awaitSavepoint(FlinkRest rest, String jobId, String trigger, Instant triggered) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
        while (true) {
            FlinkRest.SavepointTrigger outcome;
            try {
                outcome = rest.savepoint(jobId, trigger);
            } catch (IOException gone) {
                process.awaitExit(EXIT_TIMEOUT);
                return newestSavepointSince(triggered);
            }
            if (outcome.done()) {
                if (outcome.failure().isPresent()) {
                    throw new SavepointFailedException("the savepoint of the speed layer of " + pipeline + " failed, the job keeps running: "
                            + outcome.failure().get());
                }
                return Optional.of(path(outcome.location().orElseThrow()));
            }
            if (System.nanoTime() > deadline) {
                throw new SavepointFailedException("the savepoint of the speed layer of " + pipeline + " did not complete within "
                        + SAVEPOINT_TIMEOUT.toSeconds() + " s; the job keeps running (see " + rest.webUi() + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Optional<String> newestSavepointSince(Instant since) throws IOException {
        if (!Files.isDirectory(savepoints())) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(savepoints())) {
            return dirs.map(dir -> dir.resolve("_metadata")).filter(Files::isRegularFile)
                    .filter(metadata -> modified(metadata).isAfter(since.minusSeconds(1)))
                    .max(java.util.Comparator.comparing(SpeedLayer::modified))
                    .map(metadata -> metadata.getParent().toString());
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** The name {@code speed-job run} gives its Flink job (RunCommand): how this pipeline's job is told from any other. */
    private String jobName() {
        return "tessera-speed-" + pipeline;
    }

    private Optional<FlinkRest.Job> job(FlinkRest rest) throws InterruptedException {
        try {
            return rest.job(jobName());
        } catch (IOException e) {
            return Optional.empty(); // not listening yet, or gone: the caller looks at the process
        }
    }

    private Path portRecord() {
        return settings.runDir().resolve(PREFIX + pipeline + ".rest-port");
    }

    private Optional<FlinkRest> recordedRest() {
        try {
            return Optional.of(new FlinkRest(Integer.parseInt(Files.readString(portRecord()).trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the pid file of a process that is gone, and the port record. */
    private void forget() throws IOException {
        process.clearStale();
        Files.deleteIfExists(portRecord());
    }

    /** A savepoint's location as Flink reports it (a file URI here) as a path. */
    static String path(String location) {
        try {
            return Path.of(URI.create(location)).toString();
        } catch (IllegalArgumentException e) {
            return location;
        }
    }
}
