package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tessera.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code platform}: the one entry point for operators, scheduled jobs and the demo. */
@Command(name = "platform",
        mixinStandardHelpOptions = true,
        version = "tessera 0.1.0",
        description = "Lambda-architecture data + ML platform: one pipeline spec, a Spark batch layer, "
                + "a Flink speed layer, a Cassandra serving layer, SQL through Trino.",
        subcommands = {StackCommand.class, ConfigCommand.class, SpecCommand.class, IngestCommand.class, LakeCommand.class, ReplayCommand.class, RetrainCommand.class, PublishCommand.class, ModelsCommand.class, ServingCommand.class, ServeCommand.class, SchedulerCommand.class, JobsCommand.class, SpeedCommand.class, ApiKeysCommand.class, SqlCommand.class, CheckCommand.class, BackfillCommand.class, DemoCommand.class, BatchJobCommand.class, SpeedJobCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
public final class PlatformCommand {

    @Option(names = "--home", defaultValue = ".platform", paramLabel = "DIR",
            description = "State folder: configuration (platform.properties), data, logs, pid files (default: ${DEFAULT-VALUE}).",
            scope = CommandLine.ScopeType.INHERIT)
    Path home;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting of platform.properties for this run, e.g. --set kafka.port=19092.",
            scope = CommandLine.ScopeType.INHERIT)
    Map<String, String> overrides = new LinkedHashMap<>();

    StackSettings settings() {
        return StackSettings.load(home, overrides);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PlatformCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
