package io.tessera.jobs.schedule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.tessera.featurestore.lake.BatchJobSummary;
import io.tessera.featurestore.lake.JobRun;
import io.tessera.featurestore.lake.JobRun.Job;
import io.tessera.featurestore.lake.JobRun.State;
import io.tessera.featurestore.lake.JobRun.Trigger;
import io.tessera.featurestore.spec.ScheduleSpec;

/**
 * Triggers each pipeline's jobs, {@code schedule.retrain}, {@code schedule.publish} and
 * {@code schedule.maintain}, and records every run in {@link JobRunLog}.
 *
 * <ul>
 *   <li>A job's tick is due when its cron's newest tick at or before now is after the newest one handled
 *       (from the history, so a restarted scheduler carries on; without history, from the scheduler's
 *       start: a new scheduler does not run the past). Ticks missed meanwhile are caught up once: only
 *       the newest runs, recorded as {@link Trigger#CATCH_UP}.</li>
 *   <li>A run first takes the lease of the pipeline's job ({@link JobLeases}); when another run holds it,
 *       the tick is recorded as {@link State#SKIPPED} with the holder, and not tried again. The lease is
 *       renewed while the run lasts and released at its end; if this process dies, it expires.</li>
 *   <li>A maintenance never starts while a retrain or a publication of its pipeline runs, nor a
 *       publication while a retrain runs (it is skipped; the next tick comes soon): a retrain and a
 *       publication read the snapshot that was current when they started, and one longer than a table's
 *       retention would otherwise see its files rewritten and expired under it; a retrain publishes a view
 *       anyway. The other way round is safe: a job that starts during a maintenance reads the newest
 *       snapshot, which no retention expires.</li>
 *   <li>A failed attempt is tried again after {@link SchedulerPolicy#backoff}, up to
 *       {@link SchedulerPolicy#maxAttempts}, under the same lease and with the same cutoff (the retrain's
 *       key, so an attempt that got far resumes).</li>
 * </ul>
 * A run that loses its lease (renewals failing for a whole lease duration) goes on, and says so in the log.
 * The clock is injected: it decides which ticks are due and stamps the records (a run's records are
 * stamped strictly increasing, so its newest is always its state).
 */
public final class Scheduler implements AutoCloseable {

    /** In the order a tick triggers them: a maintenance first, so that ticks that coincide run the jobs it would otherwise wait for beside it. */
    private static final List<Job> JOBS = List.of(Job.MAINTAIN, Job.RETRAIN, Job.PUBLISH);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final List<ScheduledPipeline> pipelines;
    private final Clock clock;
    private final JobLeases leases;
    private final JobRunLog runs;
    private final JobRunner runner;
    private final SchedulerPolicy policy;
    private final String owner;
    private final Consumer<String> log;
    private final Instant startedAt;
    private final Map<String, Instant> handled = new HashMap<>();
    private final List<Future<JobRun>> started = new ArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("retrain"));
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(daemon("lease-renewal"));

    /** @param owner who this scheduler is, in leases and records ({@link #processOwner()}) */
    public Scheduler(List<ScheduledPipeline> pipelines, Clock clock, JobLeases leases, JobRunLog runs, JobRunner runner,
            SchedulerPolicy policy, String owner, Consumer<String> log) {
        this.pipelines = List.copyOf(pipelines);
        this.clock = clock;
        this.leases = leases;
        this.runs = runs;
        this.runner = runner;
        this.policy = policy;
        this.owner = owner;
        this.log = log;
        this.startedAt = clock.instant();
        for (ScheduledPipeline pipeline : pipelines) {
            ScheduleSpec schedule = pipeline.schedule();
            if (schedule.retrain().isEmpty() && schedule.publish().isEmpty() && schedule.maintain().isEmpty()) {
                throw new IllegalArgumentException(pipeline.spec() + ": pipeline " + pipeline.name() + " has no job to schedule");
            }
        }
    }

    /** {@code host:pid} of this process. */
    public static String processOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /**
     * Handles every pipeline's due ticks: starts each run in the background, or records it skipped. A
     * tick that cannot be handled (Cassandra or the catalog unreachable) is tried again by the next call.
     *
     * @return the records made now: started runs ({@link State#RUNNING}) and skipped ticks
     */
    public synchronized List<JobRun> tick() {
        started.removeIf(Future::isDone);   // a scheduler runs for months: keep only what may still be awaited
        List<JobRun> made = new ArrayList<>();
        for (ScheduledPipeline pipeline : pipelines) {
            for (Job job : JOBS) {
                try {
                    due(pipeline, job).ifPresent(tick -> made.add(trigger(pipeline, job, tick)));
                } catch (RuntimeException e) {
                    log.accept(pipeline.name() + ": " + job.label() + " tick not handled, tried again next time: " + e);
                }
            }
        }
        return made;
    }

    /**
     * Runs {@code pipeline}'s {@code job} now, in this thread, recorded as {@link Trigger#MANUAL}; a retrain
     * with the cutoff a scheduled run at this instant would use.
     *
     * @return the run's final record
     * @throws LeaseHeldException when another run of the pipeline's job holds the lease
     */
    public JobRun runNow(ScheduledPipeline pipeline, Job job) throws LeaseHeldException, InterruptedException {
        Instant now = clock.instant();
        String runId = runId(pipeline.name(), job, now);
        Held lease = new Held(leases.tryAcquire(pipeline.name(), job, runId, owner, policy.lease(), now)
                .orElseThrow(() -> new LeaseHeldException(pipeline.name(), job, holder(pipeline, job))));
        JobRun run = start(lease, JobRun.started(runId, pipeline.name(), job, Trigger.MANUAL, now, cutoff(pipeline, job, now), owner, now));
        return execute(pipeline, run, lease);
    }

    /** Waits for every run started by the last {@link #tick} (and earlier ones still running). */
    public void awaitRuns() throws InterruptedException {
        List<Future<JobRun>> pending;
        synchronized (this) {
            pending = new ArrayList<>(started);
        }
        for (Future<JobRun> run : pending) {
            try {
                run.get();
            } catch (java.util.concurrent.ExecutionException e) {
                log.accept("a run ended with " + e.getCause());
            }
        }
    }

    /** The final records of the runs started by the last {@link #tick} that are over. */
    public synchronized List<JobRun> finishedRuns() {
        List<JobRun> done = new ArrayList<>();
        for (Future<JobRun> run : started) {
            if (run.isDone() && !run.isCancelled()) {
                try {
                    done.add(run.get());
                } catch (Exception e) {
                    // logged by awaitRuns
                }
            }
        }
        return done;
    }

    /**
     * Stops: runs in progress are interrupted (their retrain JVMs are stopped), recorded failed and their
     * leases released; waits a while for that, so that the stores are still open for it.
     */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(45, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renewals.shutdownNow();
    }

    private Optional<Instant> due(ScheduledPipeline pipeline, Job job) {
        Optional<Instant> tick = lastTick(pipeline, job, clock.instant());
        if (tick.isEmpty()) {
            return tick;
        }
        Instant last = handled.computeIfAbsent(handledKey(pipeline, job), key -> runs.lastScheduledTrigger(pipeline.name(), job).orElse(startedAt));
        return tick.filter(t -> t.isAfter(last));
    }

    private JobRun trigger(ScheduledPipeline pipeline, Job job, Instant tick) {
        Instant last = handled.get(handledKey(pipeline, job));
        Trigger trigger = previousTick(pipeline, job, tick).filter(previous -> previous.isAfter(last)).isPresent() ? Trigger.CATCH_UP : Trigger.SCHEDULED;
        Instant now = clock.instant();
        String runId = runId(pipeline.name(), job, tick);
        Optional<String> blocked = waitsFor(job).stream().flatMap(other -> leases.holder(pipeline.name(), other)
                .map(holder -> "a " + other.label() + " of " + pipeline.name() + " runs (" + holder + "): this " + job.label()
                        + " waits for the next tick")
                .stream()).findFirst();
        Optional<JobLeases.Lease> lease = blocked.isPresent() ? Optional.empty()
                : leases.tryAcquire(pipeline.name(), job, runId, owner, policy.lease(), now);
        JobRun record;
        if (lease.isEmpty()) {
            String reason = blocked.orElseGet(() -> "another " + job.label() + " of " + pipeline.name() + " holds the lease: "
                    + holder(pipeline, job));
            record = JobRun.skipped(runId, pipeline.name(), job, trigger, tick, reason, owner, now);
            runs.record(record);
            log.accept(pipeline.name() + ": " + job.label() + " tick " + tick + " skipped: " + reason);
        } else {
            Held held = new Held(lease.get());
            record = start(held, JobRun.started(runId, pipeline.name(), job, trigger, tick, job == Job.RETRAIN ? Optional.of(tick)
                    : Optional.empty(), owner, now));
            JobRun running = record;
            started.add(workers.submit(() -> execute(pipeline, running, held)));
        }
        handled.put(handledKey(pipeline, job), tick);
        return record;
    }

    /** A lease being renewed, from the moment it is taken (recording the start may take longer than the lease). */
    private final class Held implements AutoCloseable {
        private final JobLeases.Lease lease;
        private final ScheduledFuture<?> renewal;

        Held(JobLeases.Lease lease) {
            this.lease = lease;
            long every = policy.renewEvery().toMillis();
            this.renewal = renewals.scheduleAtFixedRate(() -> renew(lease), every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            renewal.cancel(false);
            leases.release(lease);
        }
    }

    /** Records {@code run} as started; gives the lease back if that fails. */
    private JobRun start(Held lease, JobRun run) {
        try {
            runs.record(run);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        log.accept(run.pipeline() + ": " + run.job().label() + " " + run.runId() + " (" + run.trigger().label()
                + run.cutoff().map(cutoff -> ", cutoff " + cutoff).orElse("") + ") started");
        return run;
    }

    /** The attempts of {@code run} under {@code lease}, renewed meanwhile and released at the end; records the outcome. */
    private JobRun execute(ScheduledPipeline pipeline, JobRun run, Held lease) throws InterruptedException {
        JobRun current = run;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return finish(attempt(pipeline, current, attempt));
                } catch (JobFailedException e) {
                    if (attempt >= policy.maxAttempts()) {
                        return finish(current.ended(State.FAILED, attempt, OptionalLong.empty(), OptionalLong.empty(),
                                Optional.of(e.getMessage()), stamp(current)));
                    }
                    current = current.attemptFailed(attempt, e.getMessage(), stamp(current));
                    runs.record(current);
                    log.accept(run.pipeline() + ": " + run.job().label() + " " + run.runId() + " attempt " + attempt + " failed ("
                            + e.getMessage() + "); again in " + policy.backoff(attempt).toMillis() + " ms");
                    Thread.sleep(policy.backoff(attempt).toMillis());
                }
            }
        } catch (InterruptedException e) {
            finish(current.ended(State.FAILED, Math.max(1, current.attempts()), OptionalLong.empty(), OptionalLong.empty(),
                    Optional.of("interrupted: the scheduler stopped"), stamp(current)));
            throw e;
        } catch (RuntimeException e) {
            return finish(current.ended(State.FAILED, Math.max(1, current.attempts()), OptionalLong.empty(), OptionalLong.empty(),
                    Optional.of(String.valueOf(e)), stamp(current)));
        } finally {
            lease.close();
        }
    }

    /** Attempt {@code attempt} of {@code run}: its final record if it succeeds. */
    private JobRun attempt(ScheduledPipeline pipeline, JobRun run, int attempt) throws JobFailedException, InterruptedException {
        return switch (run.job()) {
            case RETRAIN -> published(run, attempt, runner.retrain(pipeline, run.cutoff().orElseThrow(), run.runId(), attempt));
            case PUBLISH -> published(run, attempt, runner.publish(pipeline, run.runId(), attempt));
            case MAINTAIN -> {
                runner.maintain(pipeline, run.runId(), attempt);
                yield run.ended(State.SUCCEEDED, attempt, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), stamp(run));
            }
        };
    }

    /** The final record of a run that published a view: the model and view its summary names. */
    private JobRun published(JobRun run, int attempt, BatchJobSummary summary) {
        return run.ended(State.SUCCEEDED, attempt, summary.modelVersion(), OptionalLong.of(summary.viewVersion()), Optional.empty(), stamp(run));
    }

    private JobRun finish(JobRun run) {
        runs.record(run);
        log.accept(run.pipeline() + ": " + run.job().label() + " " + run.runId() + " " + run.state().label() + " after " + run.attempts()
                + " attempt(s)"
                + (run.modelVersion().isPresent() ? ", model v" + run.modelVersion().getAsLong() : "")
                + (run.viewVersion().isPresent() ? ", view v" + run.viewVersion().getAsLong() : "")
                + run.error().map(error -> ": " + error).orElse(""));
        return run;
    }

    private void renew(JobLeases.Lease lease) {
        try {
            if (!leases.renew(lease)) {
                log.accept(lease.pipeline() + ": run " + lease.runId() + " lost its lease (not renewed in time; held now by "
                        + leases.holder(lease.pipeline(), lease.job()).map(Object::toString).orElse("nobody") + "); another run may start");
            }
        } catch (RuntimeException e) {
            log.accept(lease.pipeline() + ": renewing the lease of run " + lease.runId() + " failed, tried again: " + e);
        }
    }

    private String holder(ScheduledPipeline pipeline, Job job) {
        return leases.holder(pipeline.name(), job).map(Object::toString).orElse("released just now");
    }

    /** Later than the run's last record, by the clock if it moved on. */
    private Instant stamp(JobRun last) {
        Instant now = clock.instant();
        return now.isAfter(last.recordedAt()) ? now : last.recordedAt().plusMillis(1);
    }

    /** The key of {@link #handled}: the newest tick handled is per pipeline and job. */
    private static String handledKey(ScheduledPipeline pipeline, Job job) {
        return pipeline.name() + "/" + job.label();
    }

    private static Optional<Instant> lastTick(ScheduledPipeline pipeline, Job job, Instant now) {
        return switch (job) {
            case RETRAIN -> pipeline.schedule().lastRetrainTick(now);
            case PUBLISH -> pipeline.schedule().lastPublishTick(now);
            case MAINTAIN -> pipeline.schedule().lastMaintainTick(now);
        };
    }

    /** The jobs whose running keeps {@code job} from starting: see the class comment. */
    private static List<Job> waitsFor(Job job) {
        return switch (job) {
            case RETRAIN -> List.of();
            case PUBLISH -> List.of(Job.RETRAIN);
            case MAINTAIN -> List.of(Job.RETRAIN, Job.PUBLISH);
        };
    }

    private static Optional<Instant> cutoff(ScheduledPipeline pipeline, Job job, Instant now) {
        return job == Job.RETRAIN ? Optional.of(pipeline.schedule().defaultCutoff(now)) : Optional.empty();
    }

    private static Optional<Instant> previousTick(ScheduledPipeline pipeline, Job job, Instant tick) {
        try {
            return lastTick(pipeline, job, tick.minusSeconds(1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code card_fraud-20260102T020000-3f9a1c} for a retrain, {@code card_fraud-maintain-...} for a maintenance. */
    private static String runId(String pipeline, Job job, Instant time) {
        return pipeline + (job == Job.RETRAIN ? "" : "-" + job.label()) + "-" + RUN_TIME.format(time) + "-"
                + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, "scheduler-" + name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
