package io.tessera.batch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the batch layer's JVM; the {@code platform} launcher starts it with this module's classpath. */
@Command(name = "batch-job", mixinStandardHelpOptions = true, description = "Spark jobs of the batch layer.",
        subcommands = {io.tessera.batch.lake.SmokeWriteJob.class, io.tessera.batch.ingest.IngestJob.class,
                io.tessera.batch.retrain.RetrainJob.class, io.tessera.batch.lake.FloorScanJob.class,
                io.tessera.batch.registry.ChallengerJob.class, io.tessera.batch.retrain.ModelsJob.class})
public final class BatchJob {

    public static void main(String[] args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || System.getenv("TESSERA_DEBUG") != null;
        System.exit(new CommandLine(new BatchJob()).setExecutionExceptionHandler(new JobFailure(verbose)).execute(args));
    }
}
