package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tessera.featurestore.lake.JobRun;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.jobs.schedule.JobLeases;
import io.tessera.jobs.schedule.LeaseHeldException;
import io.tessera.jobs.schedule.ScheduledPipeline;
import io.tessera.jobs.schedule.Scheduler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code platform jobs list|show|run-now}: the scheduler's run history (lake.platform.job_runs) and a run on demand. */
@Command(name = "jobs", description = "The history of scheduled and manual jobs, retrains, publications and lake maintenance (lake.platform.job_runs),"
        + " and a run now under the scheduler's lease.",
        subcommands = {JobsCommand.ListRuns.class, JobsCommand.Show.class, JobsCommand.RunNow.class, CommandLine.HelpCommand.class})
final class JobsCommand {

    @ParentCommand
    PlatformCommand platform;

    @Command(name = "list", description = "Runs, the newest trigger first: id, pipeline, job, trigger, state, attempts, model and view versions.")
    static final class ListRuns implements Callable<Integer> {

        @ParentCommand
        JobsCommand jobs;

        @Option(names = "--spec", paramLabel = "FILE", description = "Only this pipeline's runs.")
        Path spec;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            Optional<String> pipeline = Optional.empty();
            if (spec != null) {
                PipelineSpec loaded = SpecCommand.loadOrReport(spec);
                if (loaded == null) {
                    return SpecCommand.INVALID_SPEC;
                }
                pipeline = Optional.of(loaded.name());
            }
            try (SchedulerStores opened = SchedulerStores.open(jobs.platform.settings())) {
                List<JobRun> runs = opened.runs.runs(pipeline);
                System.out.printf("%-48s %-16s %-8s %-9s %-20s %-10s %8s %6s %6s%n", "RUN", "PIPELINE", "JOB", "TRIGGER", "TRIGGER TIME", "STATE",
                        "ATTEMPTS", "MODEL", "VIEW");
                runs.stream().limit(limit).forEach(run -> System.out.printf("%-48s %-16s %-8s %-9s %-20s %-10s %8d %6s %6s%n", run.runId(),
                        run.pipeline(), run.job().label(), run.trigger().label(), run.triggerTime(), state(run, opened.leases), run.attempts(),
                        version(run.modelVersion()), version(run.viewVersion())));
                if (runs.size() > limit) {
                    System.out.println("(" + (runs.size() - limit) + " older runs not shown: --limit N)");
                }
                return 0;
            }
        }
    }

    @Command(name = "show", description = "One run: every field of its newest record.")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec command;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            try (SchedulerStores opened = SchedulerStores.open(jobs.platform.settings())) {
                Optional<JobRun> found = opened.runs.run(runId);
                if (found.isEmpty()) {
                    command.commandLine().getErr().println("no run " + runId + " in lake.platform.job_runs (platform jobs list shows the runs)");
                    return 1;
                }
                print(found.get(), state(found.get(), opened.leases));
                return 0;
            }
        }
    }

    @Command(name = "run-now", description = "Run the pipeline's job now (a retrain by default), in the foreground, as the scheduler would"
            + " (its lease, retries and record, trigger `manual`); refused while another run of the pipeline's job holds the lease.")
    static final class RunNow implements Callable<Integer> {

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--job", paramLabel = "JOB", defaultValue = "retrain", completionCandidates = Jobs.class,
                description = "retrain (with the default cutoff), publish (the batch view of the current snapshot) or maintain (the lake, with"
                        + " each table's retention); default: ${DEFAULT-VALUE}.")
        String job;

        @Override
        public Integer call() throws Exception {
            if (!Jobs.LABELS.contains(job)) {
                throw new CommandLine.ParameterException(command.commandLine(), "--job: '" + job + "' is not a job; one of " + Jobs.LABELS);
            }
            List<ScheduledPipeline> pipelines = SchedulerStores.pipelines(List.of(spec));
            if (pipelines == null) {
                return SpecCommand.INVALID_SPEC;
            }
            try (SchedulerStores opened = SchedulerStores.open(jobs.platform.settings()); Scheduler scheduler = opened.scheduler(List.of())) {
                JobRun run = scheduler.runNow(pipelines.get(0), JobRun.Job.of(job));
                print(run, run.state().label());
                return run.state() == JobRun.State.SUCCEEDED ? 0 : 1;
            } catch (LeaseHeldException e) {
                command.commandLine().getErr().println("refused: " + e.getMessage());
                return 1;
            }
        }
    }

    /** The jobs {@code run-now} runs. */
    static final class Jobs implements Iterable<String> {
        static final List<String> LABELS = java.util.Arrays.stream(JobRun.Job.values()).map(JobRun.Job::label).toList();

        @Override
        public java.util.Iterator<String> iterator() {
            return LABELS.iterator();
        }
    }

    /** A run's state, where a run recorded as running whose lease is gone shows as abandoned (its scheduler died). */
    private static String state(JobRun run, JobLeases leases) {
        if (run.state() != JobRun.State.RUNNING) {
            return run.state().label();
        }
        boolean held = leases.holder(run.pipeline(), run.job()).filter(holder -> holder.runId().equals(run.runId())).isPresent();
        return held ? "running" : "abandoned";
    }

    private static void print(JobRun run, String state) {
        System.out.printf("run       %s%n", run.runId());
        System.out.printf("pipeline  %s (%s)%n", run.pipeline(), run.job().label());
        System.out.printf("trigger   %s at %s%n", run.trigger().label(), run.triggerTime());
        System.out.printf("state     %s after %d attempt(s)%n", state, run.attempts());
        System.out.printf("started   %s%n", run.startedAt().map(Object::toString).orElse("-"));
        System.out.printf("ended     %s%n", run.endedAt().map(Object::toString).orElse("-"));
        System.out.printf("cutoff    %s%n", run.cutoff().map(Object::toString).orElse("-"));
        System.out.printf("model     %s%n", version(run.modelVersion()));
        System.out.printf("view      %s%n", version(run.viewVersion()));
        System.out.printf("error     %s%n", run.error().orElse("-"));
        System.out.printf("scheduler %s%n", run.scheduler());
    }

    private static String version(java.util.OptionalLong version) {
        return version.isPresent() ? "v" + version.getAsLong() : "-";
    }
}
