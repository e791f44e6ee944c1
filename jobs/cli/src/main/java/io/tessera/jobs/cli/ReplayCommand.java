package io.tessera.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.jobs.replay.ConsoleProgress;
import io.tessera.jobs.replay.MissingTopicException;
import io.tessera.jobs.replay.Replay;
import io.tessera.jobs.replay.ReplaySummary;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code platform replay}: a file of events into the spec's Kafka topic, as producers would send them. */
@Command(name = "replay", description = "Produce a CSV or JSON-lines file into the spec's Kafka topic, one record per line "
        + "(the CSV header and blank lines are not sent), keyed by the entity key; lines without a parsable key are sent "
        + "with a null key, for the speed layer to quarantine.")
final class ReplayCommand implements Callable<Integer> {

    private static final int DEFAULT_PARTITIONS = 2;

    @ParentCommand
    PlatformCommand platform;

    @Spec
    CommandSpec command;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The CSV or JSON-lines file, in the spec's source format.")
    Path file;

    @Option(names = "--rate", paramLabel = "N", description = "Records per second, evenly paced (default: as fast as Kafka takes them).")
    Double rate;

    @Option(names = "--no-progress", description = "No progress bar, only the summary (there is none anyway when stderr is not a terminal).")
    boolean noProgress;

    @Option(names = "--create-topic", description = "Create the topic if it does not exist (else `platform speed start` creates it).")
    boolean createTopic;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of a topic created by --create-topic (default: " + DEFAULT_PARTITIONS + ").")
    Integer partitions;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
        if (pipeline == null) {
            return SpecCommand.INVALID_SPEC;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file " + file + ": no such file");
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, ServiceName.KAFKA);
        Replay replay = replay(settings.kafkaBootstrap(), pipeline);
        ReplaySummary summary;
        try {
            summary = replay.run();
        } catch (MissingTopicException e) {
            // Without a cause: the message is the whole story, and the error reporter prints it on one line.
            throw new IllegalStateException(e.getMessage() + "; it is created by `platform speed start --spec " + spec
                    + "`, or run replay with --create-topic [--partitions N]");
        }
        System.out.println(summary.describe(replay.topic()));
        return 0;
    }

    /** Bad option values are bad usage (exit 2), told before any file or server is looked at. */
    private void checkOptions() {
        if (rate != null && (!(rate > 0) || rate.isInfinite())) {
            throw new ParameterException(command.commandLine(), "--rate must be > 0 records per second, not " + rate);
        }
        if (partitions != null && !createTopic) {
            throw new ParameterException(command.commandLine(), "--partitions applies only with --create-topic");
        }
        if (partitions != null && partitions <= 0) {
            throw new ParameterException(command.commandLine(), "--partitions must be > 0, not " + partitions);
        }
    }

    private Replay replay(String kafkaBootstrap, PipelineSpec pipeline) {
        Replay.Builder replay = Replay.of(kafkaBootstrap, pipeline, file);
        if (rate != null) {
            replay.rate(rate);
        }
        if (createTopic) {
            replay.createTopic(partitions == null ? DEFAULT_PARTITIONS : partitions);
        }
        if (!noProgress && ConsoleProgress.stderrIsTerminal()) {
            replay.progress(new ConsoleProgress(System.err));
        }
        return replay.build();
    }
}
