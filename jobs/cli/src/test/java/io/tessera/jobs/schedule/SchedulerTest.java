package io.tessera.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.tessera.featurestore.lake.JobRun;
import io.tessera.featurestore.lake.JobRun.State;
import io.tessera.featurestore.lake.JobRun.Trigger;
import io.tessera.featurestore.spec.ScheduleSpec;
import io.tessera.jobs.schedule.ScriptedJobs.Step;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against a real lease (Cassandra) and a real history (the Iceberg REST catalog), with an
 * injected clock and scripted jobs ({@link ScriptedJobs}): each test has its own keyspace and
 * namespace. Leases last 3 s so that expiry is quick.
 */
@LocalStackTest({ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SchedulerTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Instant DAY_1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String NIGHTLY = "0 2 * * *";
    private static final String HOURLY = "0 * * * *";

    private final List<Scheduler> schedulers = new ArrayList<>();
    private TestStack stack;
    private JobLeases leases;
    private JobRunLog runs;

    @BeforeEach
    void open(TestStack stack) {
        this.stack = stack;
        leases = JobLeases.open(cassandra(stack), stack.keyspace());
        runs = JobRunLog.open(stack.icebergCatalogUri(), TableIdentifier.of(stack.namespace(), "job_runs"));
    }

    @AfterEach
    void close() {
        schedulers.forEach(Scheduler::close);
        runs.close();
        leases.close();
    }

    @Test
    void recordsOneRunPerTick() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plus(Duration.ofHours(1)));
        ScheduledPipeline pipeline = pipeline("nightly", NIGHTLY);
        ScriptedJobs retrain = new ScriptedJobs(Step.SUCCEED);
        Scheduler scheduler = scheduler(clock, retrain, policy(3), pipeline);

        assertThat(scheduler.tick()).as("01:00, before the tick").isEmpty();
        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(3));
        assertThat(scheduler.tick()).singleElement().satisfies(run -> assertThat(run.state()).isEqualTo(State.RUNNING));
        scheduler.awaitRuns();
        assertThat(scheduler.tick()).as("the same tick again").isEmpty();

        JobRun run = runs.runs(Optional.of(pipeline.name())).get(0);
        assertThat(runs.runs(Optional.of(pipeline.name()))).hasSize(1);
        assertThat(run.state()).isEqualTo(State.SUCCEEDED);
        assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULED);
        assertThat(run.triggerTime()).isEqualTo(DAY_1.plus(Duration.ofHours(2)));
        assertThat(run.cutoff()).contains(DAY_1.plus(Duration.ofHours(2)));
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.modelVersion()).hasValue(41);
        assertThat(run.viewVersion()).hasValue(7);
        assertThat(run.startedAt()).isPresent();
        assertThat(run.endedAt()).isPresent();
        assertThat(run.error()).isEmpty();
        assertThat(runs.run(run.runId())).contains(run);
        assertThat(leases.holder(pipeline.name(), JobRun.Job.RETRAIN)).as("released at the end").isEmpty();
        assertThat(retrain.attempts()).singleElement().satisfies(a -> assertThat(a.cutoff()).isEqualTo(run.cutoff().orElseThrow()));
    }

    @Test
    void skipsAndRecordsATickWhileARetrainRuns() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plusSeconds(30));
        ScheduledPipeline pipeline = pipeline("hourly", HOURLY);
        ScriptedJobs retrain = new ScriptedJobs(Step.SUCCEED, Step.HOLD);
        Scheduler scheduler = scheduler(clock, retrain, policy(3), pipeline);

        clock.set(DAY_1.plus(Duration.ofHours(1)).plusSeconds(1));
        JobRun first = scheduler.tick().get(0);
        retrain.awaitHolding();
        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(1));
        JobRun second = scheduler.tick().get(0);
        assertThat(second.state()).isEqualTo(State.SKIPPED);
        assertThat(second.error()).hasValueSatisfying(reason -> assertThat(reason).contains(first.runId()));
        assertThatThrownBy(() -> scheduler.runNow(pipeline, JobRun.Job.RETRAIN)).as("run-now respects the lease too")
                .isInstanceOf(LeaseHeldException.class).hasMessageContaining(first.runId());
        assertThat(retrain.attempts()).as("nothing ran beside the first").hasSize(1);

        retrain.release();
        scheduler.awaitRuns();
        List<JobRun> history = runs.runs(Optional.of(pipeline.name()));
        assertThat(history).extracting(JobRun::runId).containsExactly(second.runId(), first.runId());
        assertThat(history).extracting(JobRun::state).containsExactly(State.SKIPPED, State.SUCCEEDED);
        assertThat(history.get(0).triggerTime()).isEqualTo(DAY_1.plus(Duration.ofHours(2)));

        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(30));
        assertThat(scheduler.tick()).as("a skipped tick is handled, not tried again").isEmpty();
        JobRun manual = scheduler.runNow(pipeline, JobRun.Job.RETRAIN);
        assertThat(manual.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(manual.state()).isEqualTo(State.SUCCEEDED);
        assertThat(manual.cutoff()).as("the cutoff a scheduled run would use now").contains(DAY_1.plus(Duration.ofHours(2)));
    }

    @Test
    void triesAFailedRunAgainWithBackoff() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plus(Duration.ofHours(1)));
        ScheduledPipeline flaky = pipeline("flaky", NIGHTLY);
        ScheduledPipeline broken = pipeline("broken", NIGHTLY);
        SchedulerPolicy policy = new SchedulerPolicy(LEASE, 3, Duration.ofMillis(300), Duration.ofMillis(500));
        ScriptedJobs flakyRetrain = new ScriptedJobs(Step.SUCCEED, Step.FAIL, Step.FAIL);
        ScriptedJobs brokenRetrain = new ScriptedJobs(Step.FAIL);
        Scheduler flakyScheduler = scheduler(clock, flakyRetrain, policy, flaky);
        Scheduler brokenScheduler = scheduler(clock, brokenRetrain, policy, broken);

        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(1));
        flakyScheduler.tick();
        brokenScheduler.tick();
        flakyScheduler.awaitRuns();
        brokenScheduler.awaitRuns();

        JobRun recovered = runs.runs(Optional.of(flaky.name())).get(0);
        assertThat(recovered.state()).isEqualTo(State.SUCCEEDED);
        assertThat(recovered.attempts()).isEqualTo(3);
        assertThat(recovered.modelVersion()).hasValue(43);
        List<ScriptedJobs.Attempt> attempts = flakyRetrain.attempts();
        assertThat(attempts).extracting(ScriptedJobs.Attempt::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(ScriptedJobs.Attempt::runId).containsOnly(recovered.runId());
        assertThat(attempts).extracting(ScriptedJobs.Attempt::cutoff).containsOnly(recovered.cutoff().orElseThrow());
        assertThat(gapMillis(attempts, 1)).as("300 ms after the first failure").isBetween(300L, 3_000L);
        assertThat(gapMillis(attempts, 2)).as("doubled, capped at 500 ms").isBetween(500L, 3_000L);

        JobRun failed = runs.runs(Optional.of(broken.name())).get(0);
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).hasValueSatisfying(error -> assertThat(error).contains("attempt 3"));
        assertThat(failed.modelVersion()).isEmpty();
        assertThat(brokenRetrain.attempts()).as("bounded").hasSize(3);
        assertThat(leases.holder(broken.name(), JobRun.Job.RETRAIN)).isEmpty();
    }

    @Test
    void catchesUpMissedTicksOnce() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plus(Duration.ofHours(1)));
        ScheduledPipeline pipeline = pipeline("catchup", NIGHTLY);
        ScriptedJobs retrain = new ScriptedJobs(Step.SUCCEED);
        Scheduler before = scheduler(clock, retrain, policy(1), pipeline);
        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(1));
        before.tick();
        before.awaitRuns();
        before.close();

        // down for three nights: the ticks of days 2, 3 and 4 are missed; a new scheduler starts on day 4 at 02:30
        clock.set(DAY_1.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(150)));
        Scheduler after = scheduler(clock, retrain, policy(1), pipeline);
        List<JobRun> made = after.tick();
        assertThat(made).singleElement().satisfies(run -> {
            assertThat(run.trigger()).isEqualTo(Trigger.CATCH_UP);
            assertThat(run.triggerTime()).isEqualTo(DAY_1.plus(Duration.ofDays(3)).plus(Duration.ofHours(2)));
        });
        after.awaitRuns();
        clock.set(DAY_1.plus(Duration.ofDays(3)).plus(Duration.ofHours(5)));
        assertThat(after.tick()).as("once, not once per missed tick").isEmpty();
        assertThat(runs.runs(Optional.of(pipeline.name()))).extracting(JobRun::trigger, JobRun::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Trigger.CATCH_UP, State.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple(Trigger.SCHEDULED, State.SUCCEEDED));

        clock.set(DAY_1.plus(Duration.ofDays(4)).plus(Duration.ofHours(2)).plusSeconds(1));
        assertThat(after.tick()).as("the next night is on time again").singleElement()
                .satisfies(run -> assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULED));
        after.awaitRuns();
    }

    @Test
    void aKilledSchedulersLeaseExpiresAndTheNextTickRuns() throws Exception {
        String pipelineName = "killed";
        Instant tick = DAY_1.plus(Duration.ofHours(1));
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                SchedulerChild.class.getName(), cassandra(stack).host() + ":" + cassandra(stack).port(), stack.keyspace(), stack.icebergCatalogUri(),
                stack.namespace(), pipelineName, tick.toString(), Long.toString(LEASE.toSeconds()))
                .redirectErrorStream(true).start();
        JobRun abandoned;
        try {
            awaitLine(child, SchedulerChild.HOLDING);
            abandoned = runs.runs(Optional.of(pipelineName)).get(0);
            assertThat(abandoned.state()).isEqualTo(State.RUNNING);
            Thread.sleep(LEASE.toMillis() + 500);   // past the first lease: the child renews it
            assertThat(leases.holder(pipelineName, JobRun.Job.RETRAIN)).as("renewed while the child lives")
                    .hasValueSatisfying(holder -> assertThat(holder.runId()).isEqualTo(abandoned.runId()));
        } finally {
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no release
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long killed = System.nanoTime();

        MutableClock clock = new MutableClock(tick.plus(Duration.ofHours(1)).plusSeconds(1));
        ScriptedJobs retrain = new ScriptedJobs(Step.SUCCEED);
        Scheduler next = scheduler(clock, retrain, policy(1), pipeline(pipelineName, HOURLY));
        JobRun whileHeld = next.tick().get(0);
        boolean stillHeld = leases.holder(pipelineName, JobRun.Job.RETRAIN).isPresent();
        if (stillHeld || whileHeld.state() == State.SKIPPED) {
            assertThat(whileHeld.state()).as("the dead run's lease has not expired yet").isEqualTo(State.SKIPPED);
            assertThat(whileHeld.error()).hasValueSatisfying(reason -> assertThat(reason).contains(abandoned.runId()));
        }
        while (leases.holder(pipelineName, JobRun.Job.RETRAIN).isPresent()) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("the lease expires").isLessThan(LEASE.plusSeconds(10));
            Thread.sleep(100);
        }
        clock.set(tick.plus(Duration.ofHours(2)).plusSeconds(1));
        JobRun ran = next.tick().get(0);
        next.awaitRuns();
        assertThat(ran.state()).isEqualTo(State.RUNNING);
        assertThat(runs.run(ran.runId()).orElseThrow().state()).isEqualTo(State.SUCCEEDED);
        assertThat(runs.run(abandoned.runId()).orElseThrow().state()).as("the killed run stays as it was: running, its lease gone")
                .isEqualTo(State.RUNNING);
    }

    @Test
    void maintainsOnItsOwnCronButNeverWhileARetrainRuns() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plus(Duration.ofMinutes(40)));   // started after the 00:30 maintenance tick
        ScheduledPipeline pipeline = new ScheduledPipeline("maintained", Path.of("maintained.yaml"),
                new ScheduleSpec(Optional.of(HOURLY), Optional.of("30 * * * *"), Optional.empty()));
        ScriptedJobs jobs = new ScriptedJobs(Step.SUCCEED, Step.HOLD);
        Scheduler scheduler = scheduler(clock, jobs, policy(1), pipeline);

        clock.set(DAY_1.plus(Duration.ofHours(1)).plusSeconds(1));
        JobRun retrain = scheduler.tick().get(0);
        jobs.awaitHolding();
        clock.set(DAY_1.plus(Duration.ofMinutes(90)).plusSeconds(1));
        assertThat(scheduler.tick()).as("01:30, the retrain still running").singleElement().satisfies(run -> {
            assertThat(run.job()).isEqualTo(JobRun.Job.MAINTAIN);
            assertThat(run.state()).isEqualTo(State.SKIPPED);
            assertThat(run.error()).hasValueSatisfying(reason -> assertThat(reason).contains("a retrain of maintained runs")
                    .contains(retrain.runId()));
        });
        jobs.release();
        scheduler.awaitRuns();

        clock.set(DAY_1.plus(Duration.ofHours(2)).plusSeconds(1));
        assertThat(scheduler.tick()).singleElement().satisfies(run -> assertThat(run.job()).isEqualTo(JobRun.Job.RETRAIN));
        scheduler.awaitRuns();
        clock.set(DAY_1.plus(Duration.ofMinutes(150)).plusSeconds(1));
        JobRun maintenance = scheduler.tick().get(0);
        scheduler.awaitRuns();

        JobRun done = runs.run(maintenance.runId()).orElseThrow();
        assertThat(done.job()).isEqualTo(JobRun.Job.MAINTAIN);
        assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        assertThat(done.trigger()).as("its own history: the 01:30 tick was handled (skipped)").isEqualTo(Trigger.SCHEDULED);
        assertThat(done.triggerTime()).isEqualTo(DAY_1.plus(Duration.ofMinutes(150)));
        assertThat(done.cutoff()).isEmpty();
        assertThat(done.modelVersion()).isEmpty();
        assertThat(done.runId()).startsWith("maintained-maintain-");
        assertThat(leases.holder(pipeline.name(), JobRun.Job.MAINTAIN)).as("released at the end").isEmpty();
        assertThat(jobs.attempts()).extracting(ScriptedJobs.Attempt::job)
                .containsExactly(JobRun.Job.RETRAIN, JobRun.Job.RETRAIN, JobRun.Job.MAINTAIN);

        JobRun manual = scheduler.runNow(pipeline, JobRun.Job.MAINTAIN);
        assertThat(manual.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(manual.state()).isEqualTo(State.SUCCEEDED);
        assertThat(runs.runs(Optional.of(pipeline.name()))).extracting(JobRun::job, JobRun::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(JobRun.Job.MAINTAIN, State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple(JobRun.Job.MAINTAIN, State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple(JobRun.Job.RETRAIN, State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple(JobRun.Job.MAINTAIN, State.SKIPPED),
                org.assertj.core.groups.Tuple.tuple(JobRun.Job.RETRAIN, State.SUCCEEDED));
    }

    @Test
    void publishesTheViewOnItsCronAndMaintenanceWaitsForAPublication() throws Exception {
        MutableClock clock = new MutableClock(DAY_1.plus(Duration.ofMinutes(40)));
        ScheduledPipeline pipeline = new ScheduledPipeline("refreshed", Path.of("refreshed.yaml"),
                new ScheduleSpec(Optional.empty(), Optional.of("30 * * * *"), Optional.of("15 * * * *")));
        ScriptedJobs jobs = new ScriptedJobs(Step.SUCCEED, Step.HOLD);
        Scheduler scheduler = scheduler(clock, jobs, policy(1), pipeline);

        clock.set(DAY_1.plus(Duration.ofMinutes(75)).plusSeconds(1));
        JobRun publication = scheduler.tick().get(0);
        jobs.awaitHolding();
        clock.set(DAY_1.plus(Duration.ofMinutes(90)).plusSeconds(1));
        assertThat(scheduler.tick()).as("01:30, the publication still running").singleElement().satisfies(run -> {
            assertThat(run.job()).isEqualTo(JobRun.Job.MAINTAIN);
            assertThat(run.state()).isEqualTo(State.SKIPPED);
            assertThat(run.error()).hasValueSatisfying(reason -> assertThat(reason).contains("a publish of refreshed runs")
                    .contains(publication.runId()));
        });
        jobs.release();
        scheduler.awaitRuns();
        clock.set(DAY_1.plus(Duration.ofMinutes(150)).plusSeconds(1));
        assertThat(scheduler.tick()).as("02:30: the maintenance first, then the 02:15 publication beside it").extracting(JobRun::job)
                .containsExactly(JobRun.Job.MAINTAIN, JobRun.Job.PUBLISH);
        scheduler.awaitRuns();

        JobRun published = runs.run(publication.runId()).orElseThrow();
        assertThat(published.job()).isEqualTo(JobRun.Job.PUBLISH);
        assertThat(published.state()).isEqualTo(State.SUCCEEDED);
        assertThat(published.runId()).startsWith("refreshed-publish-");
        assertThat(published.cutoff()).isEmpty();
        assertThat(published.viewVersion()).as("the view it published").hasValue(9);
        assertThat(published.modelVersion()).as("the champion scoring it").hasValue(7);
        assertThat(jobs.attempts()).extracting(ScriptedJobs.Attempt::job)
                .containsExactlyInAnyOrder(JobRun.Job.PUBLISH, JobRun.Job.PUBLISH, JobRun.Job.MAINTAIN);
        assertThat(runs.runs(Optional.of(pipeline.name()))).extracting(JobRun::state).containsOnly(State.SUCCEEDED, State.SKIPPED)
                .filteredOn(state -> state == State.SKIPPED).hasSize(1);
    }

    private Scheduler scheduler(MutableClock clock, JobRunner retrain, SchedulerPolicy policy, ScheduledPipeline... pipelines) {
        Scheduler scheduler = new Scheduler(List.of(pipelines), clock, leases, runs, retrain, policy, "test:" + ProcessHandle.current().pid(),
                line -> System.out.println("[scheduler] " + line));
        schedulers.add(scheduler);
        return scheduler;
    }

    private static SchedulerPolicy policy(int attempts) {
        return new SchedulerPolicy(LEASE, attempts, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    /** A pipeline retrained at {@code cron}, not maintained. */
    private static ScheduledPipeline pipeline(String name, String cron) {
        return new ScheduledPipeline(name, Path.of(name + ".yaml"), new ScheduleSpec(Optional.of(cron), Optional.empty(), Optional.empty()));
    }

    private static CassandraTarget cassandra(TestStack stack) {
        return CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort());
    }

    private static long gapMillis(List<ScriptedJobs.Attempt> attempts, int after) {
        return (attempts.get(after).nanoTime() - attempts.get(after - 1).nanoTime()) / 1_000_000;
    }

    private static void awaitLine(Process child, String wanted) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            System.out.println("[child] " + line);
            if (line.contains(wanted)) {
                Thread drain = new Thread(() -> out.lines().forEach(rest -> System.out.println("[child] " + rest)));
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the child scheduler exited (" + child.waitFor() + ") before: " + wanted);
    }
}
