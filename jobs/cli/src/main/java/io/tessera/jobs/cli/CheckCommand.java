package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.serve.QueryApi;
import io.tessera.jobs.serve.QueryApiStatus;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code platform check ...}: checks of a running platform. */
@Command(name = "check", description = "Checks of the running platform.", subcommands = {CheckCommand.Consistency.class, CommandLine.HelpCommand.class})
final class CheckCommand {

    @ParentCommand
    PlatformCommand platform;

    /** {@code platform check consistency}: the batch layer's {@code check-consistency} job, in its JVM. */
    @Command(name = "consistency", description = "Read sampled keys from the query API and recompute them from the lake, feature by feature:"
            + " exit 1 if any value differs (tolerance zero: the algebra is exact).")
    static final class Consistency implements Callable<Integer> {

        @ParentCommand
        CheckCommand check;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--sample", defaultValue = "20", paramLabel = "N",
                description = "Keys to compare: half with speed events since the serving view, half without; 0 with --key for the named keys"
                        + " alone (default: ${DEFAULT-VALUE}).")
        int sample;

        @Option(names = "--key", paramLabel = "KEY", description = "A key to compare besides the sample (repeatable).")
        List<String> keys = List.of();

        @Option(names = "--at", paramLabel = "INSTANT", description = "Read every key as of this instant (ISO-8601); default: each key just"
                + " after its newest event, where every window ends.")
        Instant at;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Fixes which keys are sampled (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (sample < 0 || sample == 0 && keys.isEmpty()) {
                throw new CommandLine.ParameterException(command.commandLine(), "--sample must be at least 1 (or 0 with --key), got " + sample);
            }
            if (SpecCommand.loadOrReport(spec) == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = check.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
            QueryApiStatus api = new QueryApi(settings).status();
            if (!api.isUp()) {
                command.commandLine().getErr().println("the query API is not running: start it with"
                        + " `platform serve --spec " + spec + " --background`, then check again");
                return 2;
            }
            List<String> args = new ArrayList<>(List.of("check-consistency",
                    "--spec", spec.toAbsolutePath().toString(),
                    "--catalog-uri", settings.icebergCatalogUri(),
                    "--kafka", settings.kafkaBootstrap(),
                    "--api", api.url(),
                    "--sample", Integer.toString(sample),
                    "--seed", Long.toString(seed)));
            args.addAll(ServingSettings.jobArgs(settings));
            keys.forEach(key -> args.addAll(List.of("--key", key)));
            if (at != null) {
                args.addAll(List.of("--at", at.toString()));
            }
            if (verbose) {
                args.add("--verbose");
            }
            return new LayerLauncher(settings).run(Layer.BATCH, args);
        }
    }
}
