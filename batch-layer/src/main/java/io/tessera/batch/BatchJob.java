package io.tessera.batch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the batch layer's JVM; the {@code platform} launcher starts it with this module's classpath. */
@Command(name = "batch-job", mixinStandardHelpOptions = true, description = "Spark jobs of the batch layer.",
        subcommands = {io.tessera.batch.lake.SmokeWriteJob.class, io.tessera.batch.ingest.IngestJob.class,
                io.tessera.batch.maintain.MaintainJob.class,
                io.tessera.batch.retrain.RetrainJob.class, io.tessera.batch.retrain.PublishJob.class, io.tessera.batch.lake.FloorScanJob.class,
                io.tessera.batch.registry.ChallengerJob.class, io.tessera.batch.retrain.ModelsJob.class,
                io.tessera.batch.check.ConsistencyJob.class, io.tessera.batch.backfill.BackfillJob.class})
public final class BatchJob {

    /**
     * Set by a launcher that must not leave the job running when it dies (the scheduler: its lease on the
     * pipeline expires with it, and the next run must not meet this one). A job is safe to stop at any point.
     */
    public static final String EXIT_WITH_PARENT = "TESSERA_EXIT_WITH_PARENT";

    public static void main(String[] args) {
        if (System.getenv(EXIT_WITH_PARENT) != null) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
                System.err.println("the launching process " + parent.pid() + " is gone: stopping");
                Runtime.getRuntime().halt(1);
            }));
        }
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || System.getenv("TESSERA_DEBUG") != null;
        System.exit(new CommandLine(new BatchJob()).setExecutionExceptionHandler(new JobFailure(verbose)).execute(args));
    }
}
