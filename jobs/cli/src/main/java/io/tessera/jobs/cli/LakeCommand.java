package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform lake ...}: operations on a pipeline's lake as a whole. */
@Command(name = "lake", description = "A pipeline's Iceberg lake (lake.<pipeline>.*) as a whole.",
        subcommands = {LakeCommand.Maintain.class, CommandLine.HelpCommand.class})
final class LakeCommand {

    @ParentCommand
    PlatformCommand platform;

    /** {@code platform lake maintain}: the batch layer's {@code lake-maintain} job, in its JVM. */
    @Command(name = "maintain", description = "Expire snapshots older than the retention, compact small files, remove orphan files and"
            + " the branches of crashed ingests; never what the ingest log, a registered model, a published view or the speed-layer cut"
            + " needs (docs/lake-maintenance.md).")
    static final class Maintain implements Callable<Integer> {

        @ParentCommand
        LakeCommand lake;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--retain", paramLabel = "AGE", description = "Expire snapshots older than this in every table: 7d, 36h, 90m, 0"
                + " (default: each table's history.expire.max-snapshot-age-ms, 1h on the tables the speed layer commits to, else 7d).")
        String retain;

        @Option(names = "--keep-last", paramLabel = "N", description = "Keep the newest N snapshots of each table whatever their age (default: 10).")
        Integer keepLast;

        @Option(names = "--orphan-age", paramLabel = "AGE", description = "Remove unreferenced data files older than this (default: 3d).")
        String orphanAge;

        @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
        boolean dryRun;

        @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (SpecCommand.loadOrReport(spec) == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = lake.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG);
            List<String> args = jobArgs(settings, spec);
            if (retain != null) {
                args.addAll(List.of("--retain", retain));
            }
            if (keepLast != null) {
                args.addAll(List.of("--keep-last", keepLast.toString()));
            }
            if (orphanAge != null) {
                args.addAll(List.of("--orphan-age", orphanAge));
            }
            if (dryRun) {
                args.add("--dry-run");
            }
            if (verbose) {
                args.add("--verbose");
            }
            return new LayerLauncher(settings).run(Layer.BATCH, args);
        }
    }

    /** The batch layer's arguments of a maintenance of {@code spec} with its defaults: here and for the scheduler. */
    static List<String> jobArgs(StackSettings settings, Path spec) {
        return new ArrayList<>(List.of("lake-maintain", "--spec", spec.toAbsolutePath().toString(), "--catalog-uri", settings.icebergCatalogUri()));
    }
}
