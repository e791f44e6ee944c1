package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.platform;
import static io.tessera.jobs.cli.PlatformFixture.writeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.tessera.featurestore.lake.JobRun;
import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.jobs.schedule.JobLeases;
import io.tessera.jobs.schedule.JobRunLog;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code platform jobs} and {@code platform scheduler} as an operator runs them, over the platform's own
 * lease table and run history (pipelines of the test's own). The scheduler itself is tested in
 * {@code SchedulerTest}; a real retrain is not started here.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class JobsCommandTest {

    @Test
    void listAndShowTheHistoryAndRunNowRespectsTheLease(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        String[] home = {"--home", stack.settings().home().toString()};
        Instant tick = Instant.parse("2026-01-02T02:00:00Z");
        JobRun done = JobRun.started(pipeline + "-done", pipeline, JobRun.Job.RETRAIN, JobRun.Trigger.SCHEDULED, tick, Optional.of(tick), "test",
                tick.plusSeconds(1))
                .ended(JobRun.State.SUCCEEDED, 2, OptionalLong.of(4), OptionalLong.of(9), Optional.empty(), tick.plusSeconds(60));
        JobRun dead = JobRun.started(pipeline + "-dead", pipeline, JobRun.Job.RETRAIN, JobRun.Trigger.MANUAL, tick.plusSeconds(3600),
                Optional.of(tick), "test",
                tick.plusSeconds(3601));
        try (JobRunLog runs = JobRunLog.open(stack.icebergCatalogUri(), JobRunLog.TABLE)) {
            runs.record(done);
            runs.record(dead);
        }

        Run list = platform(home, "jobs", "list", "--spec", spec.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(pipeline + "-dead +" + pipeline + " +retrain +manual +\\S+ +abandoned +0")
                .containsPattern(pipeline + "-done +" + pipeline + " +retrain +scheduled +2026-01-02T02:00:00Z +succeeded +2 +v4 +v9");
        assertThat(list.out().indexOf("-dead")).as("newest trigger first").isLessThan(list.out().indexOf("-done"));

        Run show = platform(home, "jobs", "show", pipeline + "-done");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("state     succeeded after 2 attempt(s)", "model     v4", "view      v9", "cutoff    2026-01-02T02:00:00Z");

        Run unknown = platform(home, "jobs", "show", "no-such-run");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no run no-such-run in lake.platform.job_runs");

        try (JobLeases leases = JobLeases.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), JobLeases.KEYSPACE)) {
            JobLeases.Lease held = leases.tryAcquire(pipeline, JobRun.Job.RETRAIN, pipeline + "-other", "another scheduler", Duration.ofSeconds(60),
                    Instant.now()).orElseThrow();
            Run refused = platform(home, "jobs", "run-now", "--spec", spec.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("refused: a retrain of " + pipeline + " is running (run " + pipeline + "-other of another scheduler");
            leases.release(held);
        }
    }

    @Test
    void runNowTriesAFailingRetrainAgainAndRecordsItFailed(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        // the real runner, each attempt failing in the batch layer on the empty lake
        String[] platform = {"--home", stack.settings().home().toString(), "--set", "scheduler.max.attempts=2", "--set", "scheduler.backoff.seconds=1",
            "--set", "scheduler.lease.seconds=3"};
        Run run = platform(platform, "jobs", "run-now", "--spec", spec.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("trigger   manual", "state     failed after 2 attempt(s)")
                .containsPattern("error     .*the retrain exited with 1");
        String runId = run.out().lines().filter(line -> line.startsWith("run ")).findFirst().orElseThrow().substring(4).trim();
        Run show = platform(new String[] {"--home", stack.settings().home().toString()}, "jobs", "show", runId);
        assertThat(show.out()).contains("state     failed after 2 attempt(s)");
        try (JobLeases leases = JobLeases.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), JobLeases.KEYSPACE)) {
            assertThat(leases.holder(pipeline, JobRun.Job.RETRAIN)).as("released").isEmpty();
        }
    }

    @Test
    void theSchedulerRunsInTheBackgroundUnderTheStacksSupervision(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        Files.writeString(spec, Files.readString(spec) + "schedule: { retrain: \"0 2 * * *\" }\n");
        String[] home = {"--home", stack.settings().home().toString()};
        try {
            Run start = platform(home, "scheduler", "run", "--background", "--spec", spec.toString());
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out()).containsPattern("scheduler running: pid \\d+, log " + stack.settings().logDir().resolve("scheduler.log"));
            assertThat(platform(home, "stack", "status").out()).containsPattern("scheduler +running +pid \\d+ +up ");
            assertThat(platform(home, "stack", "logs", "scheduler").out()).contains("scheduling " + pipeline + ": retrain \"0 2 * * *\" (UTC)");

            Run again = platform(home, "scheduler", "run", "--background", "--spec", spec.toString());
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("the scheduler already runs");

            Run down = platform(home, "stack", "down", "scheduler");
            assertThat(down.exitCode()).as(down.err()).isZero();
            assertThat(down.out()).contains("the scheduler stopped");
            assertThat(platform(home, "stack", "status").out()).doesNotContain("scheduler ").containsPattern("cassandra +ready");
        } finally {
            new io.tessera.stack.ServiceProcess(stack.settings(), "scheduler").stop(Duration.ofSeconds(15));   // a failed assertion leaves no JVM behind
        }
    }

    @Test
    void runNowMaintainsTheLakeAsTheSchedulerWould(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        Path events = Files.writeString(dir.resolve("events.json"), """
                {"card": "c1", "amt": 12.5, "merchant": "m1", "fraud": 0, "ts": 1767225600000}
                {"card": "c2", "amt": 3.0, "merchant": "m2", "fraud": 1, "ts": 1767229200000}
                """);
        String[] home = {"--home", stack.settings().home().toString()};
        assertThat(platform(home, "ingest", "--spec", spec.toString(), "--file", events.toString()).exitCode()).isZero();

        Run run = platform(home, "jobs", "run-now", "--spec", spec.toString(), "--job", "maintain");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).containsPattern("run +" + pipeline + "-maintain-\\d{8}T\\d{6}-[0-9a-f]{6}")
                .contains("pipeline  " + pipeline + " (maintain)", "trigger   manual", "state     succeeded after 1 attempt(s)", "cutoff    -");
        assertThat(Files.readString(stack.settings().logDir().resolve("maintain-" + pipeline + ".log")))
                .as("the batch layer's lake-maintain, every step").contains("lake maintain " + pipeline, "protected", "expired", "orphans");
        try (JobLeases leases = JobLeases.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), JobLeases.KEYSPACE)) {
            assertThat(leases.holder(pipeline, JobRun.Job.MAINTAIN)).as("released").isEmpty();
        }

        // a refresh of the batch view, through the real batch layer too: refused, since nothing was retrained
        Run publish = platform(new String[] {"--home", stack.settings().home().toString(), "--set", "scheduler.max.attempts=1"}, "jobs",
                "run-now", "--spec", spec.toString(), "--job", "publish");
        assertThat(publish.exitCode()).isEqualTo(1);
        assertThat(publish.out()).contains("pipeline  " + pipeline + " (publish)", "state     failed after 1 attempt(s)",
                "the publish exited with");
        assertThat(Files.readString(stack.settings().logDir().resolve("publish-" + pipeline + ".log")))
                .contains("no batch view of " + pipeline + " is published yet: run platform retrain first");
    }

    @Test
    void badInputIsOneLineAndANonZeroExit(TestStack stack, @TempDir Path dir) throws Exception {
        String[] home = {"--home", stack.settings().home().toString()};
        Run nothing = platform(home, "scheduler", "run", "--once");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("no pipeline to schedule: pass --spec FILE");

        Path unscheduled = writeSpec(dir, stack.keyspace());
        Run noRetrain = platform(home, "scheduler", "run", "--once", "--spec", unscheduled.toString());
        assertThat(noRetrain.exitCode()).as("maintained all the same; nothing due on a first start").isZero();
        assertThat(noRetrain.out()).contains("scheduling " + stack.keyspace() + ": no retrain (no schedule.retrain); lake maintenance \"30 * * * *\"");

        Run badJob = platform(home, "jobs", "run-now", "--spec", unscheduled.toString(), "--job", "vacuum");
        assertThat(badJob.exitCode()).isEqualTo(2);
        assertThat(badJob.err()).contains("--job: 'vacuum' is not a job; one of [retrain, publish, maintain]");

        Path reserved = Files.writeString(dir.resolve("platform.yaml"), Files.readString(unscheduled)
                .replaceFirst("pipeline: \\S+", "pipeline: platform"));
        Run invalid = platform(home, "jobs", "run-now", "--spec", reserved.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);

        Run badSetting = platform(new String[] {"--home", stack.settings().home().toString(), "--set", "scheduler.max.attempts=0"},
                "scheduler", "run", "--spec", unscheduled.toString());
        assertThat(badSetting.exitCode()).isEqualTo(2);
        assertThat(badSetting.err()).contains("scheduler.max.attempts");
    }
}
