package io.tessera.batch.retrain;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.PublishOutcome;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.lake.BatchJobSummary;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code publish}: the batch view recomputed from the lake's current snapshot, as the view serving was computed ({@link Retrain#refresh}). */
@Command(name = "publish", description = "Recompute the batch view from the lake's current snapshot with the cutoff, vocabularies and"
        + " champion of the view serving, and publish it; no training.")
public final class PublishJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Mixin
    ServingOptions serving;

    @Mixin
    SummaryFileOption summary;

    @Override
    public Integer call() throws Exception {
        return options.run("publish", (spec, spark) -> {
            String pipeline = spec.spec().name();
            try (ServingStore store = serving.serving(pipeline, spec.spec().serving().view())) {
                store.migrate();
                PublishedView current = store.current().map(ServedView::view).orElseThrow(() -> new ViewRefreshRefusedException(
                        "no batch view of " + pipeline + " is published yet: run platform retrain first"));
                Retrain retrain = new Retrain(spark, spec, new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                        serving.control(pipeline)));
                Optional<PublishOutcome> outcome = retrain.refresh(current);
                if (outcome.isEmpty()) {
                    System.out.printf("view        v%d (lake snapshot %d) holds every event of the lake's current snapshot: nothing to publish%n",
                            current.viewVersion(), current.snapshot().id());
                    summary.write(BatchJobSummary.publication(current, true));
                    return;
                }
                PublishedView view = outcome.get().view();
                System.out.printf("view        v%d of lake snapshot %d (was v%d of %d), cut %s, cutoff %s, scored by %s: %s%n", view.viewVersion(),
                        view.snapshot().id(), current.viewVersion(), current.snapshot().id(), view.cut(), Instant.ofEpochMilli(view.cutoff()),
                        view.champion().map(champion -> "v" + champion.version()).orElse("no champion"),
                        outcome.get().serving() ? "serving now" : "superseded (" + outcome.get().reason().orElse("a newer view serves") + ")");
                System.out.printf("entities    %d%n", view.entities());
                summary.write(BatchJobSummary.publication(view, outcome.get().status() == PublishOutcome.Status.ALREADY_SERVING));
            }
        });
    }
}
