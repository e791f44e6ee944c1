package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform publish}: the batch view recomputed from the lake's current snapshot, by the batch layer in its own JVM. */
@Command(name = "publish", description = "Recompute the batch view from the lake's current snapshot as the view serving was computed (its"
        + " cutoff, vocabularies and champion; no training) and publish it: lake history, Cassandra, control message. Nothing when the"
        + " view serving holds every event of the current snapshot already. The scheduler runs it at the spec's schedule.publish.")
final class PublishCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (SpecCommand.loadOrReport(spec) == null) {
            return SpecCommand.INVALID_SPEC;
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
        List<String> args = jobArgs(settings, spec);
        if (verbose) {
            args.add("--verbose");
        }
        return new LayerLauncher(settings).run(Layer.BATCH, args);
    }

    /** The batch layer's arguments of a publication of {@code spec}: here and for the scheduler. */
    static List<String> jobArgs(StackSettings settings, Path spec) {
        return RetrainCommand.publishingJobArgs("publish", settings, spec);
    }
}
