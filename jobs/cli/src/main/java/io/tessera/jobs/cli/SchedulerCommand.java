package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.featurestore.lake.JobRun;
import io.tessera.jobs.schedule.ScheduledPipeline;
import io.tessera.jobs.schedule.Scheduler;
import io.tessera.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code platform scheduler run}: the nightly schedule of every pipeline's {@code schedule.retrain}. */
@Command(name = "scheduler", description = "Triggers each pipeline's schedule.retrain (docs/scheduling.md).",
        subcommands = {SchedulerCommand.Run.class, CommandLine.HelpCommand.class})
final class SchedulerCommand {

    /** How often the scheduler looks at the clock: cron ticks are whole minutes. */
    static final Duration POLL = Duration.ofSeconds(5);

    @ParentCommand
    PlatformCommand platform;

    @Command(name = "run", description = "Run the scheduler in the foreground until stopped: each spec's schedule.retrain (UTC) triggers"
            + " `platform retrain` (one run per pipeline at a time, a lease in Cassandra), failed runs are tried again with backoff,"
            + " every run is recorded in lake.platform.job_runs. Missed ticks are caught up once.")
    static final class Run implements Callable<Integer> {

        @ParentCommand
        SchedulerCommand scheduler;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", paramLabel = "FILE", description = "A pipeline spec to schedule (repeatable). Default: setting scheduler.specs.")
        List<Path> specs = List.of();

        @Option(names = "--once", description = "Handle the ticks due now (running them to the end), then exit: 1 if a run failed.")
        boolean once;

        @Override
        public Integer call() throws Exception {
            StackSettings settings = scheduler.platform.settings();
            List<Path> files = specs.isEmpty() ? settings.files("scheduler.specs") : specs;
            if (files.isEmpty()) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "no pipeline to schedule: pass --spec FILE (repeatable) or set scheduler.specs=FILE[,FILE...]");
            }
            List<ScheduledPipeline> pipelines = SchedulerSettings.pipelines(files);
            if (pipelines == null) {
                return SpecCommand.INVALID_SPEC;
            }
            for (ScheduledPipeline pipeline : pipelines) {
                if (pipeline.schedule().retrain().isEmpty()) {
                    throw new CommandLine.ParameterException(command.commandLine(), pipeline.spec() + ": pipeline " + pipeline.name()
                            + " has no schedule.retrain to trigger (add `schedule: { retrain: \"0 2 * * *\" }`)");
                }
            }
            SchedulerSettings.policy(settings);   // a bad combination of settings fails before anything connects
            try (SchedulerSettings opened = SchedulerSettings.open(settings); Scheduler running = opened.scheduler(pipelines)) {
                for (ScheduledPipeline pipeline : pipelines) {
                    System.out.println("scheduling " + pipeline.name() + ": retrain \"" + pipeline.schedule().retrain().orElseThrow() + "\" (UTC), last tick "
                            + pipeline.schedule().lastRetrainTick(Instant.now()).map(Instant::toString).orElse("none yet"));
                }
                if (once) {
                    running.tick();
                    running.awaitRuns();
                    return running.finishedRuns().stream().anyMatch(run -> run.state() == JobRun.State.FAILED) ? 1 : 0;
                }
                while (!Thread.currentThread().isInterrupted()) {
                    running.tick();
                    Thread.sleep(POLL.toMillis());
                }
                return 0;
            }
        }
    }
}
