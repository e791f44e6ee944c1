package io.tessera.jobs.cli;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tessera.featurestore.lake.BatchJobSummary;
import io.tessera.featurestore.lake.JobRun;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.schedule.JobFailedException;
import io.tessera.jobs.schedule.JobRunner;
import io.tessera.jobs.schedule.ScheduledPipeline;
import io.tessera.stack.Launch;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/**
 * The scheduler's jobs as the batch layer's JVM ({@code platform retrain --spec S --cutoff T}, {@code platform
 * publish --spec S}, {@code platform lake maintain --spec S}), each a child of the scheduler that stops when the scheduler dies (so that a run
 * whose lease expired is not still running when the next one starts), its output appended to
 * {@code logs/<job>-<pipeline>.log}; what a retrain or a publication did is read from the {@link BatchJobSummary} it writes.
 */
final class LaunchedJobs implements JobRunner {

    /** The batch layer's {@code BatchJob.EXIT_WITH_PARENT} (the launcher does not load the layer's classes). */
    private static final String EXIT_WITH_PARENT = "TESSERA_EXIT_WITH_PARENT";

    private final StackSettings settings;

    LaunchedJobs(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public BatchJobSummary retrain(ScheduledPipeline pipeline, Instant cutoff, String runId, int attempt) throws JobFailedException, InterruptedException {
        return runWithSummary(JobRun.Job.RETRAIN, pipeline, runId, attempt, ", cutoff " + cutoff, RetrainCommand.jobArgs(settings, pipeline.spec(), cutoff));
    }

    @Override
    public BatchJobSummary publish(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException {
        return runWithSummary(JobRun.Job.PUBLISH, pipeline, runId, attempt, "", PublishCommand.jobArgs(settings, pipeline.spec()));
    }

    @Override
    public void maintain(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException {
        requireStack(ServiceName.ICEBERG_CATALOG);
        run(JobRun.Job.MAINTAIN, pipeline, runId, attempt, "", LakeCommand.jobArgs(settings, pipeline.spec()));
    }

    /** {@link #run} of a job that publishes a view, which says what it did in a summary file. */
    private BatchJobSummary runWithSummary(JobRun.Job job, ScheduledPipeline pipeline, String runId, int attempt, String detail, List<String> args)
            throws JobFailedException, InterruptedException {
        requireStack(ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
        Path summary = settings.runDir().resolve(job.label() + "-" + runId + ".json");
        try {
            Files.createDirectories(summary.getParent());
            Files.deleteIfExists(summary);
        } catch (IOException e) {
            throw new JobFailedException("the " + job.label() + " did not start: " + e.getMessage());
        }
        List<String> withSummary = new ArrayList<>(args);
        withSummary.addAll(List.of("--summary-file", summary.toString()));
        Path log = run(job, pipeline, runId, attempt, detail, withSummary);
        try {
            return BatchJobSummary.read(summary);
        } catch (IOException e) {
            throw new JobFailedException("the " + job.label() + " exited with 0 but left no summary (" + e.getMessage() + "); its log: " + log);
        } finally {
            try {
                Files.deleteIfExists(summary);
            } catch (IOException e) {
                // a leftover summary is overwritten by the next attempt
            }
        }
    }

    private void requireStack(ServiceName... services) throws JobFailedException {
        try {
            StackRequirements.requireReady(settings, services);
        } catch (IllegalStateException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    /** Runs the batch layer with {@code args} to its end, its output appended to the job's log. @return the log */
    private Path run(JobRun.Job job, ScheduledPipeline pipeline, String runId, int attempt, String detail, List<String> args)
            throws JobFailedException, InterruptedException {
        Path log = settings.logDir().resolve(job.label() + "-" + pipeline.name() + ".log");
        Process process;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "== " + Instant.now() + " run " + runId + ", attempt " + attempt + detail + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Launch launch = new LayerLauncher(settings).launch(Layer.BATCH, args);
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.workingDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
            builder.environment().putAll(launch.environment());
            builder.environment().put(EXIT_WITH_PARENT, "1");
            process = builder.start();
        } catch (IOException | IllegalStateException e) {
            throw new JobFailedException("the " + job.label() + " did not start: " + e.getMessage());
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            throw e;
        }
        if (exit != 0) {
            throw new JobFailedException("the " + job.label() + " exited with " + exit + "; its log: " + log);
        }
        return log;
    }
}
