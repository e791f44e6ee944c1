package io.tessera.batch.retrain;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.batch.registry.ChampionUpdate;
import io.tessera.batch.registry.ModelRegistry;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.ServingStore;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code models list|show|promote|rollback}: the registry and its audit trail read, and the champion
 * changed by a person ({@link ChampionUpdate}). Here rather than in {@code registry} because a change of
 * the champion re-publishes the view serving, which is the retrain's work ({@link Retrain#rescore}).
 */
@Command(name = "models", description = "The model registry: list, show, promote, rollback.",
        subcommands = {ModelsJob.ListModels.class, ModelsJob.Show.class, ModelsJob.Promote.class, ModelsJob.Rollback.class})
public final class ModelsJob {

    /** Exit code of a refused change (nothing changed). */
    static final int REFUSED = 1;

    private interface Reading {
        void run(PipelineSpec spec, ModelRegistry registry);
    }

    /** Opens the registry (created if missing, so that an empty one lists as empty) and reads it. */
    private static int read(PipelineJobOptions options, String job, Reading reading) throws Exception {
        return options.run(job, (spec, spark) -> {
            new PipelineTables(spark, spec.spec()).ensure();
            ModelRegistry registry = new ModelRegistry(spark, new PipelineTables(spark, spec.spec()));
            registry.ensure();
            reading.run(spec.spec(), registry);
        });
    }

    @Command(name = "list", description = "Every registered version: status, algorithm, key metric, cutoff, created.")
    static final class ListModels implements Callable<Integer> {

        @Mixin
        PipelineJobOptions options;

        @Override
        public Integer call() throws Exception {
            return read(options, "models list", (spec, registry) -> {
                String metric = spec.model().metric().specName();
                System.out.println(registry.table());
                System.out.printf("%-8s %-11s %-20s %-10s %-21s %s%n", "version", "status", "algorithm", metric, "cutoff", "created");
                for (RegisteredModel model : registry.all()) {
                    System.out.printf("%-8s %-11s %-20s %-10s %-21s %s%n", "v" + model.version(), model.status(), model.algorithm(),
                            Optional.ofNullable(model.metrics().get(metric)).map(value -> String.format("%.4f", value)).orElse("-"),
                            model.cutoff().toInstant(), model.createdAt().toInstant());
                }
            });
        }
    }

    @Command(name = "show", description = "Everything about one version: training snapshot, artifact, checksum, gate, metrics, changes.")
    static final class Show implements Callable<Integer> {

        @Mixin
        PipelineJobOptions options;

        @Option(names = "--version", required = true, description = "The registered version.")
        long version;

        @Override
        public Integer call() throws Exception {
            int[] exit = {0};
            read(options, "models show", (spec, registry) -> {
                Optional<RegisteredModel> found = registry.byVersion(version);
                if (found.isEmpty()) {
                    System.err.println("error: " + registry.unknownVersion(version));
                    exit[0] = REFUSED;
                    return;
                }
                RegisteredModel model = found.get();
                System.out.printf("model        %s v%d (%s)%n", model.name(), model.version(), registry.table());
                System.out.printf("status       %s%n", model.status());
                System.out.printf("task         %s, %s%n", model.task(), model.algorithm());
                System.out.printf("params       %s%n", model.params());
                System.out.printf("metrics      %s%n", new java.util.TreeMap<>(model.metrics()));
                System.out.printf("trained on   lake snapshot %d, cutoff %s (run key %s)%n", model.trainingSnapshotId(), model.cutoff().toInstant(),
                        model.runKey());
                System.out.printf("artifact     %s%n", model.artifactLocation());
                System.out.printf("checksum     %s%n", model.checksum());
                System.out.printf("gate         %s%n", model.gateReason());
                System.out.printf("created      %s%n", model.createdAt().toInstant());
                System.out.printf("changes      %s%n", registry.changes().table());
                registry.changes().of(version).forEach(change -> System.out.println("  " + change));
            });
            return exit[0];
        }
    }

    /** What promote and rollback share: the reason, and how a change runs and is reported. */
    abstract static class ChampionChange implements Callable<Integer> {

        @Mixin
        PipelineJobOptions options;

        @Mixin
        ServingOptions serving;

        @Option(names = "--reason", required = true, description = "Why, for the audit trail.")
        String reason;

        abstract String job();

        abstract ChampionUpdate update(ChampionUpdate.Scope scope);

        @Override
        public Integer call() throws Exception {
            int[] exit = {0};
            options.run(job(), (spec, spark) -> exit[0] = change(spec, spark));
            return exit[0];
        }

        private int change(SpecText spec, SparkSession spark) throws Exception {
            String pipeline = spec.spec().name();
            ModelRegistry registry = new ModelRegistry(spark, new PipelineTables(spark, spec.spec()));
            registry.ensure();
            try (ServingStore store = serving.serving(pipeline, spec.spec().serving().view())) {
                store.migrate();
                Retrain retrain = new Retrain(spark, spec, new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                        serving.control(pipeline)));
                ChampionUpdate.Outcome outcome = update(new ChampionUpdate.Scope(pipeline, FeaturePlan.of(spec.spec()).fingerprint(), registry,
                        store, serving.control(pipeline), retrain::rescore)).commit();
                ChampionUpdate.Change change = outcome.change();
                String from = change.from().map(m -> "v" + m.version()).orElse("none");
                System.out.printf("champion    %s v%d (was %s): %s%n", pipeline, change.to().version(), from, change.action().column());
                System.out.printf("registry    %s: v%d champion%s%n", registry.table(), change.to().version(),
                        change.from().map(m -> ", v" + m.version() + " " + registry.byVersion(m.version()).orElseThrow().status()).orElse(""));
                System.out.printf("view        v%d of lake snapshot %d, cutoff %s, scored by v%d: serving now%n",
                        outcome.publication().view().viewVersion(), outcome.publication().view().snapshot().id(),
                        Instant.ofEpochMilli(outcome.publication().view().cutoff()), change.to().version());
                if (outcome.challengerCleared()) {
                    System.out.printf("challenger  cleared: v%d is the champion now%n", change.to().version());
                }
                System.out.printf("control     %s key view-%d%n", serving.control(pipeline).topic(), outcome.publication().view().viewVersion());
                System.out.printf("audit       %s: %s %s -> v%d, reason: %s%n", registry.changes().table(), change.action().column(), from,
                        change.to().version(), reason);
                return 0;
            } catch (ChampionUpdate.InvalidChampionException e) {
                System.err.println("champion not changed: " + e.getMessage());
                return REFUSED;
            }
        }
    }

    @Command(name = "promote", description = "Make a registered version the champion: registry (one commit), the view serving re-published"
            + " scored by it, control message, audit trail.")
    static final class Promote extends ChampionChange {

        @Option(names = "--version", required = true, description = "The registered version to make the champion.")
        long version;

        @Override
        String job() {
            return "models promote";
        }

        @Override
        ChampionUpdate update(ChampionUpdate.Scope scope) {
            return ChampionUpdate.promote(scope, version, reason);
        }
    }

    @Command(name = "rollback", description = "Make a former champion the champion again (default: the one before the current one).")
    static final class Rollback extends ChampionChange {

        @Option(names = "--version", description = "The former champion to return to; default: the champion before the current one.")
        Long version;

        @Override
        String job() {
            return "models rollback";
        }

        @Override
        ChampionUpdate update(ChampionUpdate.Scope scope) {
            return ChampionUpdate.rollback(scope, Optional.ofNullable(version), reason);
        }
    }
}
