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

/** {@code platform scheduler run}: every pipeline's {@code schedule.retrain}, {@code schedule.publish} and {@code schedule.maintain}. */
@Command(name = "scheduler", description = "Triggers each pipeline's schedule.retrain, schedule.publish and schedule.maintain (docs/scheduling.md).",
        subcommands = {SchedulerCommand.Run.class, CommandLine.HelpCommand.class})
final class SchedulerCommand {

    /** How a started scheduler's first lines begin: it reached Cassandra and the catalog (what a start in the background waits for). */
    static final String SCHEDULING = "scheduling ";

    /** How often the scheduler looks at the clock: cron ticks are whole minutes. */
    static final Duration POLL = Duration.ofSeconds(5);

    @ParentCommand
    PlatformCommand platform;

    @Command(name = "run", description = "Run the scheduler in the foreground until stopped: each spec's schedule.retrain (UTC) triggers"
            + " `platform retrain`, its schedule.publish `platform publish`, its schedule.maintain (default hourly) `platform lake maintain`"
            + " (one run per pipeline and job at a time, a lease in Cassandra; no maintenance beside a retrain or a publication, no"
            + " publication beside a retrain), failed runs are tried again with backoff, every run is recorded"
            + " in lake.platform.job_runs. Missed ticks are caught up once.")
    static final class Run implements Callable<Integer> {

        @ParentCommand
        SchedulerCommand scheduler;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", paramLabel = "FILE", description = "A pipeline spec to schedule (repeatable). Default: setting scheduler.specs.")
        List<Path> specs = List.of();

        @Option(names = "--once", description = "Handle the ticks due now (running them to the end), then exit: 1 if a run failed.")
        boolean once;

        @Option(names = "--background", description = "Run it under the stack's supervision (pid run/scheduler.pid, log logs/scheduler.log,"
                + " `stack status`, `stack down scheduler`) and return once it schedules.")
        boolean background;

        @Override
        public Integer call() throws Exception {
            StackSettings settings = scheduler.platform.settings();
            List<Path> files = specs.isEmpty() ? settings.files("scheduler.specs") : specs;
            if (files.isEmpty()) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "no pipeline to schedule: pass --spec FILE (repeatable) or set scheduler.specs=FILE[,FILE...]");
            }
            List<ScheduledPipeline> pipelines = SchedulerStores.pipelines(files);
            if (pipelines == null) {
                return SpecCommand.INVALID_SPEC;
            }
            if (background) {
                if (once) {
                    throw new CommandLine.ParameterException(command.commandLine(), "--once runs in the foreground: not with --background");
                }
                System.out.println(startInBackground(settings, scheduler.platform.overrides, files));
                return 0;
            }
            SchedulerStores.policy(settings);   // a bad combination of settings fails before anything connects
            try (SchedulerStores opened = SchedulerStores.open(settings); Scheduler running = opened.scheduler(pipelines)) {
                for (ScheduledPipeline pipeline : pipelines) {
                    System.out.println(SCHEDULING + pipeline.name() + ": " + pipeline.schedule().retrain()
                            .map(cron -> "retrain \"" + cron + "\" (UTC), last tick " + pipeline.schedule().lastRetrainTick(Instant.now())
                                    .map(Instant::toString).orElse("none yet"))
                            .orElse("no retrain (no schedule.retrain)")
                            + pipeline.schedule().publish().map(cron -> "; publish \"" + cron + "\"").orElse("")
                            + pipeline.schedule().maintain().map(cron -> "; lake maintenance \"" + cron + "\"").orElse(""));
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

    /** Starts the scheduler of {@code specs} in the background; for {@code scheduler run --background} and {@code stack up}. */
    static String startInBackground(StackSettings settings, java.util.Map<String, String> overrides, List<Path> specs) throws Exception {
        List<String> args = new java.util.ArrayList<>();
        specs.forEach(spec -> args.addAll(List.of("--spec", spec.toAbsolutePath().toString())));
        return new SchedulerService(settings).start(settings, overrides, args, Duration.ofSeconds(settings.count("start.timeout.seconds")));
    }

    /** Starts the scheduler of setting {@code scheduler.specs} in the background: for {@code stack up}. */
    static String startConfigured(StackSettings settings, java.util.Map<String, String> overrides) throws Exception {
        List<Path> files = settings.files("scheduler.specs");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the scheduler schedules the specs of setting scheduler.specs, which is not set:"
                    + " set scheduler.specs=FILE[,FILE...] or run `platform scheduler run --spec FILE --background`");
        }
        List<ScheduledPipeline> pipelines = SchedulerStores.pipelines(files);
        if (pipelines == null) {
            throw new IllegalArgumentException("setting scheduler.specs names a spec that does not load");
        }
        return startInBackground(settings, overrides, files);
    }
}
