package io.tessera.batch.retrain;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.featurestore.lake.BatchJobSummary;
import io.tessera.featurestore.lake.JobRun;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retrain}: the nightly job of one pipeline. */
@Command(name = "retrain", description = "Train, evaluate, gate and register a model from one lake snapshot; publish the batch view.")
public final class RetrainJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Mixin
    ServingOptions serving;

    @Option(names = "--cutoff", description = "ISO-8601 instant; default: the spec's schedule.retrain last tick, or the start of the current UTC day.")
    Instant cutoff;

    @Option(names = "--snapshot-id", description = "The lake snapshot to read; default: the current one.")
    Long snapshotId;

    @Mixin
    SummaryFileOption summary;

    @Override
    public Integer call() throws Exception {
        return options.run("retrain", (spec, spark) -> {
            String pipeline = spec.spec().name();
            try (ServingStore store = serving.serving(pipeline, spec.spec().serving().view())) {
                BatchViewPublisher publisher = new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                        serving.control(pipeline));
                RetrainOutcome outcome = new Retrain(spark, spec, publisher)
                        .run(Optional.ofNullable(snapshotId), Optional.ofNullable(cutoff), Clock.systemUTC());
                System.out.print(outcome);
                summary.write(BatchJobSummary.of(JobRun.Job.RETRAIN, outcome.publication().view(), OptionalLong.of(outcome.candidate().version()),
                        outcome.resumed()));
                System.out.println("driver  peak resident memory " + DriverMemory.peakResidentMegabytes() + " MB (VmHWM)");
            }
        });
    }
}
