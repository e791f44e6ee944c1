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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code platform models ...}: the model registry read, and the changes of what scores (champion,
 * challenger), each run as a batch-layer job in its own JVM: {@code models list|show|promote|rollback}
 * and {@code challenger}.
 */
@Command(name = "models", description = "The model registry (lake.<pipeline>.models) and its audit trail (lake.<pipeline>.model_changes):"
        + " list, show, promote, rollback, the challenger beside the champion.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class,
                ModelsCommand.Challenger.class, CommandLine.HelpCommand.class})
final class ModelsCommand {

    @ParentCommand
    PlatformCommand platform;

    /**
     * Runs the batch layer's {@code job} for {@code spec}: with the lake's catalog, and for a change of
     * what scores also with serving and Kafka, each of which must be ready.
     */
    int runJob(Path spec, List<String> job, boolean changesServing) throws Exception {
        if (SpecCommand.loadOrReport(spec) == null) {
            return SpecCommand.INVALID_SPEC;
        }
        StackSettings settings = platform.settings();
        List<String> args = new ArrayList<>(job);
        args.addAll(List.of("--spec", spec.toAbsolutePath().toString(), "--catalog-uri", settings.icebergCatalogUri()));
        if (changesServing) {
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
            args.addAll(List.of("--kafka", settings.kafkaBootstrap()));
            args.addAll(ServingSettings.jobArgs(settings));
        } else {
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG);
        }
        return new LayerLauncher(settings).run(Layer.BATCH, args);
    }

    /** What every subcommand of {@code models} that reads takes. */
    abstract static class Reading implements Callable<Integer> {

        @ParentCommand
        ModelsCommand models;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;
    }

    @Command(name = "list", description = "Every registered version: status, algorithm, the spec's metric, cutoff, created.")
    static final class ListModels extends Reading {

        @Override
        public Integer call() throws Exception {
            return models.runJob(spec, List.of("models", "list"), false);
        }
    }

    @Command(name = "show", description = "Everything about one version: training snapshot and cutoff, artifact, checksum, gate, metrics, and"
            + " every change of the audit trail that concerns it.")
    static final class Show extends Reading {

        @Option(names = "--version", required = true, paramLabel = "V", description = "A registered version.")
        long version;

        @Override
        public Integer call() throws Exception {
            return models.runJob(spec, List.of("models", "show", "--version", Long.toString(version)), false);
        }
    }

    /**
     * A change of what scores (promote, rollback, challenger set and clear): a reason is required and not
     * blank, the options are validated before anything starts, and the job gets serving and Kafka too.
     */
    abstract static class Change implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit trail (lake.<pipeline>.model_changes).")
        String reason;

        abstract ModelsCommand models();

        /** The batch job and its arguments; throws a {@link CommandLine.ParameterException} for options that cannot make a valid change. */
        abstract List<String> job();

        @Override
        public Integer call() throws Exception {
            if (reason.isBlank()) {
                throw new CommandLine.ParameterException(command.commandLine(), "--reason must say why");
            }
            List<String> job = new ArrayList<>(job());
            job.addAll(List.of("--reason", reason));
            return models().runJob(spec, job, true);
        }
    }

    /** Promote and rollback. */
    abstract static class ChampionChange extends Change {

        @ParentCommand
        ModelsCommand models;

        @Override
        ModelsCommand models() {
            return models;
        }
    }

    @Command(name = "promote", description = "Make a registered version the champion: the registry changes in one commit (the champion before"
            + " is retired), the view serving is published again (same lake snapshot and cutoff) scored by it, and the running speed layers and"
            + " the API score with it within seconds; appended to the audit trail. A challenger promoted is cleared.")
    static final class Promote extends ChampionChange {

        @Option(names = "--version", required = true, paramLabel = "V", description = "A registered version that is not the champion.")
        long version;

        @Override
        List<String> job() {
            return List.of("models", "promote", "--version", Long.toString(version));
        }
    }

    @Command(name = "rollback", description = "Make a former champion the champion again, like promote; by default the champion before the"
            + " current one (the one the audit trail's last change to the current champion replaced).")
    static final class Rollback extends ChampionChange {

        @Option(names = "--version", paramLabel = "V", description = "A former champion (status retired); default: the one before the current one.")
        Long version;

        @Override
        List<String> job() {
            return version == null ? List.of("models", "rollback") : List.of("models", "rollback", "--version", version.toString());
        }
    }

    /** {@code platform models challenger set|clear}. */
    @Command(name = "challenger", description = "A registered model scored beside the champion: in shadow (every key, served none) or A/B"
            + " (a share of keys, served its score).", subcommands = {Set.class, Clear.class, CommandLine.HelpCommand.class})
    static final class Challenger {

        @ParentCommand
        ModelsCommand models;
    }

    /** Set and clear: the batch layer's {@code challenger} job. */
    abstract static class ChallengerChange extends Change {

        @ParentCommand
        Challenger challenger;

        @Override
        ModelsCommand models() {
            return challenger.models;
        }
    }

    /** The modes, as the options spell them. */
    enum Mode { SHADOW, AB }

    @Command(name = "set", description = "Set the challenger: the registry marks it (one commit), serving records it, and the running speed"
            + " layers and the API apply it within seconds. Replaces any earlier challenger.")
    static final class Set extends ChallengerChange {

        @Option(names = "--version", required = true, paramLabel = "V", description = "A registered model version that is not the champion.")
        long version;

        @Option(names = "--mode", required = true, paramLabel = "MODE",
                description = "shadow: every key scored, the champion served; ab: the keys of --share served the challenger's score.")
        Mode mode;

        @Option(names = "--share", paramLabel = "FRACTION", description = "For ab: the fraction of keys in the challenger's arm, in (0, 1]"
                + " (by a stable hash of the key, the same in every layer).")
        Double share;

        @Override
        List<String> job() {
            if (mode == Mode.SHADOW && share != null) {
                throw new CommandLine.ParameterException(command.commandLine(), "--share is for --mode ab: a shadow challenger scores every key");
            }
            if (mode == Mode.AB && share == null) {
                throw new CommandLine.ParameterException(command.commandLine(), "--mode ab needs --share, the fraction of keys served the"
                        + " challenger (e.g. --share 0.1)");
            }
            if (mode == Mode.AB && !(share > 0 && share <= 1)) {
                throw new CommandLine.ParameterException(command.commandLine(), "--share must be in (0, 1], got " + share);
            }
            if (version < 1) {
                throw new CommandLine.ParameterException(command.commandLine(), "--version: model versions start at 1, got " + version);
            }
            List<String> args = new ArrayList<>(List.of("challenger", "--version", Long.toString(version), "--mode",
                    mode.name().toLowerCase(java.util.Locale.ROOT)));
            if (share != null) {
                args.addAll(List.of("--share", share.toString()));
            }
            return args;
        }
    }

    @Command(name = "clear", description = "Clear the challenger: the champion alone scores and serves again. Nothing to do if none is set.")
    static final class Clear extends ChallengerChange {

        @Override
        List<String> job() {
            return List.of("challenger", "--clear");
        }
    }
}
