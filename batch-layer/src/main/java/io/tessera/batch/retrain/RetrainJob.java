package io.tessera.batch.retrain;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.RetrainSummary;
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

    @Option(names = "--summary-file", description = "Also write what the run did (RetrainSummary: model, view, cutoff) to this file, for the scheduler.")
    java.nio.file.Path summaryFile;

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
                if (summaryFile != null) {
                    PublishedView view = outcome.publication().view();
                    new RetrainSummary(pipeline, outcome.candidate().version(), view.viewVersion(), Instant.ofEpochMilli(view.cutoff()),
                            view.snapshot().id(), outcome.resumed()).write(summaryFile);
                }
                System.out.println("driver  peak resident memory " + DriverMemory.peakResidentMegabytes() + " MB (VmHWM)");
            }
        });
    }
}
