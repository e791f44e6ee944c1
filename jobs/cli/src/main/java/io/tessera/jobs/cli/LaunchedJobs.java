package io.tessera.jobs.cli;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tessera.featurestore.contract.RetrainSummary;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.schedule.RetrainFailedException;
import io.tessera.jobs.schedule.RetrainRunner;
import io.tessera.jobs.schedule.ScheduledPipeline;
import io.tessera.stack.Launch;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/**
 * The scheduler's retrain: {@code platform retrain --spec S --cutoff T} as the batch layer's JVM, a child
 * of the scheduler that stops when the scheduler dies (so that a run whose lease expired is not still
 * running when the next one starts), its output appended to {@code logs/retrain-<pipeline>.log}, and what
 * it did read from the {@link RetrainSummary} it writes.
 */
final class LaunchedRetrain implements RetrainRunner {

    /** The batch layer's {@code BatchJob.EXIT_WITH_PARENT} (the launcher does not load the layer's classes). */
    private static final String EXIT_WITH_PARENT = "TESSERA_EXIT_WITH_PARENT";

    private final StackSettings settings;

    LaunchedRetrain(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public RetrainSummary run(ScheduledPipeline pipeline, Instant cutoff, String runId, int attempt) throws RetrainFailedException, InterruptedException {
        try {
            StackRequirements.requireReady(settings, ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA);
        } catch (IllegalStateException e) {
            throw new RetrainFailedException(e.getMessage());
        }
        Path log = settings.logDir().resolve("retrain-" + pipeline.name() + ".log");
        Path summary = settings.runDir().resolve("retrain-" + runId + ".json");
        Process process;
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(summary.getParent());
            Files.deleteIfExists(summary);
            Files.writeString(log, "== " + Instant.now() + " run " + runId + ", attempt " + attempt + ", cutoff " + cutoff + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> args = RetrainCommand.jobArgs(settings, pipeline.spec(), cutoff);
            args.addAll(List.of("--summary-file", summary.toString()));
            Launch launch = new LayerLauncher(settings).launch(Layer.BATCH, args);
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.workingDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
            builder.environment().putAll(launch.environment());
            builder.environment().put(EXIT_WITH_PARENT, "1");
            process = builder.start();
        } catch (IOException | IllegalStateException e) {
            throw new RetrainFailedException("the retrain did not start: " + e.getMessage());
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            throw e;
        }
        if (exit != 0) {
            throw new RetrainFailedException("the retrain exited with " + exit + "; its log: " + log);
        }
        try {
            return RetrainSummary.read(summary);
        } catch (IOException e) {
            throw new RetrainFailedException("the retrain exited with 0 but left no summary (" + e.getMessage() + "); its log: " + log);
        } finally {
            try {
                Files.deleteIfExists(summary);
            } catch (IOException e) {
                // a leftover summary is overwritten by the next attempt
            }
        }
    }
}
