package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.DurationLiteral;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.replay.ConsoleProgress;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParentCommand;

/** {@code platform backfill}: the batch layer's {@code backfill} job, in its JVM. */
@Command(name = "backfill", description = "Every key's features as of past cutoffs (from, from + every, ... to) into"
        + " lake.<pipeline>.feature_history, one commit per cutoff, and with --training-sets each cutoff's training set; a re-run skips"
        + " what is already there. Serving is not touched.")
final class BackfillCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Spec
    CommandSpec command;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--from", required = true, paramLabel = "DATE", converter = Cutoff.class,
            description = "The first cutoff: a UTC date (2013-06-01, its midnight) or an ISO-8601 instant.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "DATE", converter = Cutoff.class, description = "The last cutoff, included.")
    Instant to;

    @Option(names = "--every", defaultValue = "1d", paramLabel = "DURATION", converter = Every.class,
            description = "Between two cutoffs, as the spec writes durations (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--training-sets", description = "Also each cutoff's training set into lake.<pipeline>.training_set, under the"
            + " run key a retrain of the lake's current snapshot and that cutoff uses: that retrain then trains on it.")
    boolean trainingSets;

    @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (to.isBefore(from)) {
            throw new CommandLine.ParameterException(command.commandLine(), "--to " + to + " is before --from " + from);
        }
        if (SpecCommand.loadOrReport(spec) == null) {
            return SpecCommand.INVALID_SPEC;
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG);
        List<String> args = new ArrayList<>(List.of("backfill",
                "--spec", spec.toAbsolutePath().toString(),
                "--catalog-uri", settings.icebergCatalogUri(),
                "--from", from.toString(),
                "--to", to.toString(),
                "--every", every.toString()));
        if (trainingSets) {
            args.add("--training-sets");
        }
        if (ConsoleProgress.stderrIsTerminal()) {
            args.add("--progress-bar");
        }
        if (verbose) {
            args.add("--verbose");
        }
        return new LayerLauncher(settings).run(Layer.BATCH, args);
    }

    /** A UTC date (its midnight) or an instant. */
    static final class Cutoff implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither a date (2013-06-01) nor an instant"
                        + " (2013-06-01T00:00:00Z)");
            }
        }
    }

    /** A duration as the spec writes it (1d, 6h). */
    static final class Every implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration duration = DurationLiteral.durationOf(value);
                if (duration.isZero()) {
                    throw new CommandLine.TypeConversionException("--every must be positive");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
