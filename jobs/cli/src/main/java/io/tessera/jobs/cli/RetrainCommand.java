package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform retrain}: the nightly job, run by the batch layer in its own JVM. */
@Command(name = "retrain", description = "Point-in-time training set, MLlib model, evaluation on the time holdout, promotion gate, "
        + "model registry, batch view (lake + Cassandra) and a control message. Safe to re-run after a crash.")
final class RetrainCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--cutoff", paramLabel = "INSTANT",
            description = "The training labels and the holdout end here (ISO-8601, e.g. 2020-06-23T00:00:00Z); default: the last tick of the spec's"
                    + " schedule.retrain (UTC), or the start of the current UTC day without a schedule, so a re-run is the same run."
                    + " The batch view holds every event of the snapshot, whatever its time.")
    Instant cutoff;

    @Option(names = "--snapshot-id", paramLabel = "ID", description = "The lake snapshot to train on; default: the current one.")
    Long snapshotId;

    @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (SpecCommand.loadOrReport(spec) == null) {
            return SpecCommand.INVALID_SPEC;
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
        List<String> args = jobArgs(settings, spec, cutoff);
        if (snapshotId != null) {
            args.addAll(List.of("--snapshot-id", snapshotId.toString()));
        }
        if (verbose) {
            args.add("--verbose");
        }
        return new LayerLauncher(settings).run(Layer.BATCH, args);
    }

    /** The batch layer's arguments of a retrain of {@code spec} (with {@code cutoff}, or the default one when null): here and for the scheduler. */
    static List<String> jobArgs(StackSettings settings, Path spec, Instant cutoff) {
        List<String> args = publishingJobArgs("retrain", settings, spec);
        if (cutoff != null) {
            args.addAll(List.of("--cutoff", cutoff.toString()));
        }
        return args;
    }

    /** The batch layer's arguments of {@code job}, one that publishes a view (lake, serving tables, control topic), for {@code spec}. */
    static List<String> publishingJobArgs(String job, StackSettings settings, Path spec) {
        List<String> args = new ArrayList<>(List.of(job, "--spec", spec.toAbsolutePath().toString(),
                "--catalog-uri", settings.icebergCatalogUri(), "--kafka", settings.kafkaBootstrap()));
        args.addAll(ServingSettings.jobArgs(settings));
        return args;
    }
}
