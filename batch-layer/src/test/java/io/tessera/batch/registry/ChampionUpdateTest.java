package io.tessera.batch.registry;

import static io.tessera.batch.registry.RegistryTestData.controlMessages;
import static io.tessera.batch.registry.RegistryTestData.registered;
import static io.tessera.batch.registry.RegistryTestData.snapshots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.retrain.Retrain;
import io.tessera.batch.retrain.RetrainOutcome;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promote and rollback against the real registry (Iceberg through Spark), serving (Cassandra) and control
 * stream (Kafka), after one real retrain: each is one registry commit and a newer view of the same
 * snapshot and cutoff scored by the new champion, announced; the challenger promoted is cleared; refusals
 * name what is wrong and change nothing; the audit trail holds every change with its reason.
 */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA})
class ChampionUpdateTest {

    /** The sample's unix_time runs 2013-06-21 to 2013-06-22; the cutoff is the next morning. */
    private static final Instant CUTOFF = Instant.parse("2013-06-23T06:00:00Z");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void promoteAndRollbackChangeWhatScoresInOneCommitEachAndAreAudited(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        // a holdout of the latest half: the first model passes the gate (RetrainTest)
        SpecText spec = SpecText.of(BatchTestData.cardFraudSpec(pipeline).yaml().replace("  holdout: 20%", "  holdout: 50%"), "half.yaml");
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));
        ModelRegistry registry = new ModelRegistry(spark, new PipelineTables(spark, spec.spec()));
        ControlChannel control = new ControlChannel(stack.kafkaBootstrap(), pipeline);

        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                spec.spec().serving().view())) {
            Retrain retrain = new Retrain(spark, spec, new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store, control));
            ChampionUpdate.Scope scope = new ChampionUpdate.Scope(pipeline, FeaturePlan.of(spec.spec()).fingerprint(), registry, store, control,
                    retrain::rescore);
            RetrainOutcome first = retrain.run(Optional.empty(), CUTOFF.toEpochMilli());
            assertThat(first.candidate().status()).isEqualTo(RegisteredModel.CHAMPION);
            Map<String, List<String>> vocabularies = ModelFormat.read(Path.of(first.candidate().artifactLocation())).vocabularies();
            registry.register(registered(spec.spec(), dir, 2, RegisteredModel.REJECTED, vocabularies));
            registry.register(registered(spec.spec(), dir, 3, RegisteredModel.REJECTED, Map.of("category", List.of("misc_net"))));
            RegisteredModel replaced = registered(spec.spec(), dir, 4, RegisteredModel.REJECTED, vocabularies);
            registry.register(replaced);
            Files.copy(Path.of(registry.byVersion(2).orElseThrow().artifactLocation()), Path.of(replaced.artifactLocation()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // a valid artifact, not the one registered
            PublishedView byGate = store.current().orElseThrow().view();
            Map<String, Double> gateScores = scores(pipeline, byGate.viewVersion());

            long commits = snapshots(spark, registry);
            ChampionUpdate.Outcome promoted = ChampionUpdate.promote(scope, 2, "v2 catches last week's fraud ring").commit();

            assertThat(snapshots(spark, registry)).as("one registry commit").isEqualTo(commits + 1);
            assertThat(statuses(registry)).containsExactly("4 rejected", "3 rejected", "2 champion", "1 retired");
            PublishedView byV2 = store.current().orElseThrow().view();
            assertThat(byV2).isEqualTo(promoted.publication().view());
            assertThat(byV2.viewVersion()).isGreaterThan(byGate.viewVersion());
            assertThat(byV2.snapshot()).isEqualTo(byGate.snapshot());
            assertThat(byV2.cutoff()).isEqualTo(byGate.cutoff());
            assertThat(byV2.champion()).map(ChampionRef::version).contains(2L);
            Map<String, Double> v2Scores = scores(pipeline, byV2.viewVersion());
            assertThat(v2Scores.keySet()).isEqualTo(gateScores.keySet());
            assertThat(v2Scores).isNotEqualTo(gateScores);

            // refusals change nothing
            long afterPromotion = snapshots(spark, registry);
            assertThatThrownBy(() -> ChampionUpdate.promote(scope, 2, "again").commit())
                    .isInstanceOf(ChampionUpdate.InvalidChampionException.class).hasMessageStartingWith("v2 is the champion already");
            assertThatThrownBy(() -> ChampionUpdate.promote(scope, 9, "r").commit())
                    .hasMessageEndingWith("has no model version 9 (versions 1 to 4)");
            assertThatThrownBy(() -> ChampionUpdate.promote(scope, 3, "r").commit())
                    .hasMessageStartingWith("v3 cannot score the vectors of the view serving (v" + byV2.viewVersion() + ")");
            assertThatThrownBy(() -> ChampionUpdate.promote(scope, 4, "r").commit())
                    .hasMessageEndingWith("is not the one registered (checksum differs)");
            assertThatThrownBy(() -> ChampionUpdate.promote(scope, 1, " ").commit())
                    .hasMessage("a change of the champion needs a reason, for the audit trail");
            assertThatThrownBy(() -> ChampionUpdate.rollback(scope, Optional.of(3L), "r").commit())
                    .hasMessageStartingWith("v3 was never the champion (status rejected)");
            assertThat(snapshots(spark, registry)).isEqualTo(afterPromotion);
            assertThat(store.current().orElseThrow().version()).isEqualTo(byV2.viewVersion());

            // rollback, by default to the champion before: the gate's scores again, in a newer view
            ChampionUpdate.Outcome rolledBack = ChampionUpdate.rollback(scope, Optional.empty(), "v2 flags too many").commit();
            assertThat(statuses(registry)).containsExactly("4 rejected", "3 rejected", "2 retired", "1 champion");
            PublishedView byV1 = store.current().orElseThrow().view();
            assertThat(byV1.viewVersion()).isEqualTo(rolledBack.publication().view().viewVersion()).isGreaterThan(byV2.viewVersion());
            assertThat(byV1.champion()).map(ChampionRef::version).contains(1L);
            assertThat(scores(pipeline, byV1.viewVersion())).isEqualTo(gateScores);

            // the challenger promoted is the challenger no more
            ChallengerUpdate.set(pipeline, registry, store, control, 2, ChallengerAssignment.Mode.SHADOW, 1, "v2 in shadow").commit();
            ChampionUpdate.Outcome fromShadow = ChampionUpdate.promote(scope, 2, "v2 did well in shadow").commit();
            assertThat(fromShadow.challengerCleared()).isTrue();
            assertThat(registry.challenger()).isEmpty();
            assertThat(store.challenger().flatMap(ControlMessage.ChallengerChange::assignment)).isEmpty();
            assertThat(statuses(registry)).containsExactly("4 rejected", "3 rejected", "2 champion", "1 retired");

            assertThat(registry.changes().all()).extracting(change -> change.action().column() + " " + change.fromVersion().orElse(0L) + "->"
                    + change.toVersion().orElse(0L) + ": " + change.reason() + " (view " + change.viewVersion().orElse(0L) + ")")
                    .containsExactly(
                            "promoted_by_gate 0->1: " + first.candidate().gateReason() + " (view " + byGate.viewVersion() + ")",
                            "promoted 1->2: v2 catches last week's fraud ring (view " + byV2.viewVersion() + ")",
                            "rolled_back 2->1: v2 flags too many (view " + byV1.viewVersion() + ")",
                            "challenger_set 0->2: v2 in shadow (view " + byV1.viewVersion() + ")",
                            "promoted 1->2: v2 did well in shadow (view " + fromShadow.publication().view().viewVersion() + ")",
                            "challenger_cleared 2->0: v2 became the champion: v2 did well in shadow (view "
                                    + fromShadow.publication().view().viewVersion() + ")");
            assertThat(registry.changes().all()).allSatisfy(change -> assertThat(change.actor()).isEqualTo(System.getProperty("user.name")));
            assertThat(registry.changes().all().get(1).metrics()).isEqualTo(Map.of("auc", 0.9));

            assertThat(controlMessages(stack, pipeline, 6)).filteredOn(ControlMessage.ViewPublished.class::isInstance)
                    .extracting(message -> ((ControlMessage.ViewPublished) message).view().champion().map(ChampionRef::version).orElse(0L))
                    .containsExactly(1L, 2L, 1L, 2L);
        }
    }

    private static List<String> statuses(ModelRegistry registry) {
        return registry.all().stream().map(model -> model.version() + " " + model.status()).toList();
    }

    private static Map<String, Double> scores(String pipeline, long viewVersion) {
        Map<String, Double> scores = new TreeMap<>();
        spark.sql("SELECT entity, score FROM lake." + pipeline + ".batch_view WHERE view_version = " + viewVersion).collectAsList()
                .forEach(row -> scores.put(row.getString(0), row.isNullAt(1) ? null : row.getDouble(1)));
        return scores;
    }
}
