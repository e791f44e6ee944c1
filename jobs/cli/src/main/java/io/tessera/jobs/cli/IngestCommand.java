package io.tessera.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform ingest}: a file into the master dataset, run by the batch layer in its own JVM. */
@Command(name = "ingest", description = "Load a CSV or JSON file into lake.<pipeline>.events in one atomic commit; "
        + "bad records go to lake.<pipeline>.quarantine with the reason. Re-running the same file changes nothing.")
final class IngestCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The CSV or JSON-lines file, in the spec's source format.")
    Path file;

    @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (SpecCommand.loadOrReport(spec) == null) {
            return SpecCommand.INVALID_SPEC;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, io.tessera.stack.ServiceName.ICEBERG_CATALOG);
        List<String> args = new java.util.ArrayList<>(List.of("ingest",
                "--spec", spec.toAbsolutePath().toString(),
                "--file", file.toAbsolutePath().toString(),
                "--catalog-uri", settings.icebergCatalogUri()));
        if (verbose) {
            args.add("--verbose");
        }
        return new LayerLauncher(settings).run(Layer.BATCH, args);
    }
}
