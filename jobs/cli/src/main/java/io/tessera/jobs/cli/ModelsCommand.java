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

/** {@code platform models ...}: the model registry's operations that change what serves. */
@Command(name = "models", description = "The model registry (lake.<pipeline>.models): the challenger beside the champion.",
        subcommands = {ModelsCommand.Challenger.class, CommandLine.HelpCommand.class})
final class ModelsCommand {

    @ParentCommand
    PlatformCommand platform;

    /** {@code platform models challenger set|clear}. */
    @Command(name = "challenger", description = "A registered model scored beside the champion: in shadow (every key, served none) or A/B"
            + " (a share of keys, served its score).", subcommands = {Set.class, Clear.class, CommandLine.HelpCommand.class})
    static final class Challenger {

        @ParentCommand
        ModelsCommand models;
    }

    /** What both subcommands take and how they run: the batch layer's {@code challenger} job, in its JVM. */
    abstract static class Change implements Callable<Integer> {

        @ParentCommand
        Challenger challenger;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit trail (in the control message).")
        String reason;

        abstract List<String> jobArgs();

        @Override
        public Integer call() throws Exception {
            if (reason.isBlank()) {
                throw new CommandLine.ParameterException(command.commandLine(), "--reason must say why");
            }
            List<String> job = jobArgs();   // validates the options before anything starts
            if (SpecCommand.loadOrReport(spec) == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = challenger.models.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
            List<String> args = new ArrayList<>(List.of("challenger",
                    "--spec", spec.toAbsolutePath().toString(),
                    "--catalog-uri", settings.icebergCatalogUri(),
                    "--kafka", settings.kafkaBootstrap(),
                    "--reason", reason));
            args.addAll(ServingSettings.jobArgs(settings));
            args.addAll(job);
            return new LayerLauncher(settings).run(Layer.BATCH, args);
        }
    }

    /** The modes, as the options spell them. */
    enum Mode { SHADOW, AB }

    @Command(name = "set", description = "Set the challenger: the registry marks it (one commit), serving records it, and the running speed"
            + " layers and the API apply it within seconds. Replaces any earlier challenger.")
    static final class Set extends Change {

        @Option(names = "--version", required = true, paramLabel = "V", description = "A registered model version that is not the champion.")
        long version;

        @Option(names = "--mode", required = true, paramLabel = "MODE",
                description = "shadow: every key scored, the champion served; ab: the keys of --share served the challenger's score.")
        Mode mode;

        @Option(names = "--share", paramLabel = "FRACTION", description = "For ab: the fraction of keys in the challenger's arm, in (0, 1]"
                + " (by a stable hash of the key, the same in every layer).")
        Double share;

        @Override
        List<String> jobArgs() {
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
            List<String> args = new ArrayList<>(List.of("--version", Long.toString(version), "--mode", mode.name().toLowerCase(java.util.Locale.ROOT)));
            if (share != null) {
                args.addAll(List.of("--share", share.toString()));
            }
            return args;
        }
    }

    @Command(name = "clear", description = "Clear the challenger: the champion alone scores and serves again. Nothing to do if none is set.")
    static final class Clear extends Change {

        @Override
        List<String> jobArgs() {
            return List.of("--clear");
        }
    }
}
