package io.tessera.jobs.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tessera.featurestore.spec.ScheduleSpec;
import io.tessera.serving.store.CassandraTarget;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A scheduler in a JVM of its own, for the test that kills it with SIGKILL mid-run: it triggers the tick
 * {@code tick} of {@code pipeline} (hourly), whose retrain holds until the process dies, and prints
 * {@link #HOLDING} when it does.
 *
 * <p>Arguments: {@code <cassandra host:port> <keyspace> <catalog uri> <namespace> <pipeline> <tick> <lease seconds>}.
 */
public final class SchedulerChild {

    static final String HOLDING = "retrain holding the lease";

    private SchedulerChild() {
    }

    public static void main(String[] args) throws Exception {
        Instant tick = Instant.parse(args[5]);
        MutableClock clock = new MutableClock(tick.minusSeconds(60));
        ScheduledPipeline pipeline = new ScheduledPipeline(args[4], Path.of(args[4] + ".yaml"), new ScheduleSpec(Optional.of("0 * * * *"), Optional.empty(), Optional.empty()));
        ScriptedJobs retrain = new ScriptedJobs(ScriptedJobs.Step.HOLD);
        try (JobLeases leases = JobLeases.open(CassandraTarget.parse(args[0]), args[1]);
             JobRunLog runs = JobRunLog.open(args[2], TableIdentifier.of(args[3], "job_runs"));
             Scheduler scheduler = new Scheduler(List.of(pipeline), clock, leases, runs, retrain,
                     new SchedulerPolicy(Duration.ofSeconds(Long.parseLong(args[6])), 1, Duration.ZERO, Duration.ZERO), "child:" + ProcessHandle.current().pid(),
                     System.out::println)) {
            clock.set(tick.plusSeconds(1));
            scheduler.tick();
            retrain.awaitHolding();
            System.out.println(HOLDING);
            System.out.flush();
            scheduler.awaitRuns();
        }
    }
}
