package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.jobs.schedule.JobLeases;
import io.tessera.jobs.schedule.JobRunLog;
import io.tessera.jobs.schedule.ScheduledPipeline;
import io.tessera.jobs.schedule.Scheduler;
import io.tessera.jobs.schedule.SchedulerPolicy;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/** What the scheduler keeps, the lease table and the run history, opened one way for {@code scheduler run} and {@code jobs}; and its settings, read once. */
final class SchedulerStores implements AutoCloseable {

    private final StackSettings settings;
    final JobLeases leases;
    final JobRunLog runs;

    private SchedulerStores(StackSettings settings, JobLeases leases, JobRunLog runs) {
        this.settings = settings;
        this.leases = leases;
        this.runs = runs;
    }

    /** Connects to the lease table ({@code platform.job_leases}) and the run history ({@code lake.platform.job_runs}). */
    static SchedulerStores open(StackSettings settings) {
        StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA);
        JobLeases leases = JobLeases.open(ServingSettings.target(settings), JobLeases.KEYSPACE);
        try {
            return new SchedulerStores(settings, leases, JobRunLog.open(settings.icebergCatalogUri(), JobRunLog.TABLE));
        } catch (RuntimeException e) {
            leases.close();
            throw e;
        }
    }

    static SchedulerPolicy policy(StackSettings settings) {
        return new SchedulerPolicy(Duration.ofSeconds(settings.count("scheduler.lease.seconds")), settings.count("scheduler.max.attempts"),
                Duration.ofSeconds(settings.count("scheduler.backoff.seconds")), Duration.ofSeconds(settings.count("scheduler.backoff.max.seconds")));
    }

    /** The pipelines of {@code specs}, each loaded and validated; null (with the problems said) if one is invalid. */
    static List<ScheduledPipeline> pipelines(List<Path> specs) {
        List<ScheduledPipeline> pipelines = new ArrayList<>();
        for (Path file : specs) {
            PipelineSpec spec = SpecCommand.loadOrReport(file);
            if (spec == null) {
                return null;
            }
            pipelines.add(new ScheduledPipeline(spec.name(), file, spec.schedule()));
        }
        return pipelines;
    }

    Scheduler scheduler(List<ScheduledPipeline> pipelines) {
        return new Scheduler(pipelines, Clock.systemUTC(), leases, runs, new LaunchedJobs(settings), policy(settings), Scheduler.processOwner(),
                line -> System.out.println(java.time.Instant.now() + " " + line));
    }

    @Override
    public void close() {
        runs.close();
        leases.close();
    }
}
