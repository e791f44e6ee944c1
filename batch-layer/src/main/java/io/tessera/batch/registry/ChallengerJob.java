package io.tessera.batch.registry;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code challenger}: sets ({@code --version}) or clears ({@code --clear}) a pipeline's challenger through
 * a {@link ChallengerUpdate}. Exit 0 when done (or nothing to do), 1 with the reason when refused.
 */
@Command(name = "challenger", description = "Set or clear the challenger scored beside the champion: registry, serving, control message.")
public final class ChallengerJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Mixin
    ServingOptions serving;

    @Option(names = "--version", description = "The registered model to set as challenger.")
    Long version;

    @Option(names = "--mode", description = "shadow or ab.")
    String mode;

    @Option(names = "--share", description = "For ab: the fraction of keys served the challenger, in (0, 1].")
    Double share;

    @Option(names = "--clear", description = "Clear the challenger.")
    boolean clear;

    @Option(names = "--reason", required = true, description = "Why, for the audit trail.")
    String reason;

    @Override
    public Integer call() throws Exception {
        int[] exit = {0};
        options.run("challenger", (spec, spark) -> {
            String pipeline = spec.spec().name();
            ModelRegistry registry = new ModelRegistry(spark, new PipelineTables(spark, spec.spec()));
            registry.ensure();
            try (ServingStore store = serving.serving(pipeline, spec.spec().serving().view())) {
                store.migrate();
                ChallengerUpdate update = clear ? ChallengerUpdate.clear(pipeline, registry, store, serving.control(pipeline), reason)
                        : ChallengerUpdate.set(pipeline, registry, store, serving.control(pipeline), version,
                                ChallengerAssignment.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), share == null ? 1.0 : share, reason);
                Optional<ControlMessage.ChallengerChange> change = update.commit();
                if (change.isEmpty()) {
                    System.out.println("challenger  none was set: nothing to clear");
                } else if (change.get() instanceof ControlMessage.ChallengerSet set) {
                    System.out.println("challenger  " + set.challenger());
                    System.out.println("registry    " + registry.table() + ": v" + set.challenger().model().version() + " status challenger");
                    System.out.println("control     " + serving.control(pipeline).topic() + " key " + set.key());
                } else {
                    System.out.println("challenger  cleared, revision " + change.get().revision() + ": the champion alone scores and serves");
                    System.out.println("control     " + serving.control(pipeline).topic() + " key " + change.get().key());
                }
            } catch (ChallengerUpdate.InvalidChallengerException | ChallengerUpdate.ChallengerConflictException e) {
                System.err.println("challenger not changed: " + e.getMessage());
                exit[0] = 1;
            }
        });
        return exit[0];
    }
}
