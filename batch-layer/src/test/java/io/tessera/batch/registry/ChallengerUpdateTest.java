package io.tessera.batch.registry;

import static io.tessera.batch.registry.RegistryTestData.controlMessages;
import static io.tessera.batch.registry.RegistryTestData.registered;
import static io.tessera.batch.registry.RegistryTestData.snapshots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewPublication;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setting and clearing a challenger against the real registry (Iceberg through Spark), serving
 * (Cassandra) and control stream (Kafka): each change is one registry commit, a revision in serving and a
 * control message; the former status comes back on clear; refusals name what is wrong and change nothing.
 */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA})
class ChallengerUpdateTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void setReplaceAndClearAreOneCommitEachRecordedInServingAndAnnounced(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        PipelineSpec spec = BatchTestData.cardFraudSpec(pipeline).spec();
        Map<String, List<String>> vocabulary = Map.of("category", List.of("grocery_pos", "misc_net"));
        FeatureLayout layout = FeatureLayout.of(spec, vocabulary);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake." + pipeline);
        ModelRegistry registry = new ModelRegistry(spark, new PipelineTables(spark, spec));
        registry.ensure();
        registry.register(registered(spec, dir, 1, RegisteredModel.CHAMPION, vocabulary));
        registry.register(registered(spec, dir, 2, RegisteredModel.REJECTED, vocabulary));
        registry.register(registered(spec, dir, 3, RegisteredModel.REJECTED, vocabulary));
        registry.register(registered(spec, dir, 4, RegisteredModel.REJECTED, Map.of("category", List.of("misc_net"))));
        ControlChannel control = new ControlChannel(stack.kafkaBootstrap(), pipeline);

        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                spec.serving().view())) {
            store.migrate();
            assertThatThrownBy(() -> ChallengerUpdate.set(pipeline, registry, store, control, 2, ChallengerAssignment.Mode.SHADOW, 1, "r")
                    .apply()).isInstanceOf(ChallengerUpdate.InvalidChallengerException.class).hasMessageContaining("no batch view");
            publishView(store, spec, layout, vocabulary);

            long snapshots = snapshots(spark, registry);
            ControlMessage.ChallengerChange first = ChallengerUpdate.set(pipeline, registry, store, control, 2, ChallengerAssignment.Mode.AB,
                    0.1, "v2 on a tenth of keys").commit().orElseThrow();
            assertThat(snapshots(spark, registry)).as("one registry commit").isEqualTo(snapshots + 1);
            assertThat(first.revision()).isEqualTo(1);
            assertThat(registry.challenger().orElseThrow().version()).isEqualTo(2);
            assertThat(store.challenger()).contains(first);

            // another challenger replaces it; v2 gets its former status back in the same commit
            ControlMessage.ChallengerChange second = ChallengerUpdate.set(pipeline, registry, store, control, 3, ChallengerAssignment.Mode.SHADOW,
                    1, "v3 in shadow").commit().orElseThrow();
            assertThat(snapshots(spark, registry)).isEqualTo(snapshots + 2);
            assertThat(second.revision()).isEqualTo(2);
            assertThat(registry.byVersion(2).orElseThrow().status()).isEqualTo(RegisteredModel.REJECTED);
            assertThat(registry.byVersion(3).orElseThrow().status()).isEqualTo(RegisteredModel.CHALLENGER);
            assertThat(registry.champion().orElseThrow().version()).isEqualTo(1);

            // refusals change nothing
            assertThatThrownBy(() -> ChallengerUpdate.set(pipeline, registry, store, control, 9, ChallengerAssignment.Mode.SHADOW, 1, "r").commit())
                    .isInstanceOf(ChallengerUpdate.InvalidChallengerException.class).hasMessageEndingWith("has no model version 9 (versions 1 to 4)");
            assertThatThrownBy(() -> ChallengerUpdate.set(pipeline, registry, store, control, 1, ChallengerAssignment.Mode.SHADOW, 1, "r").commit())
                    .hasMessage("v1 is the champion: a challenger is another model");
            assertThatThrownBy(() -> ChallengerUpdate.set(pipeline, registry, store, control, 2, ChallengerAssignment.Mode.AB, 1.5, "r").commit())
                    .hasMessage("an A/B challenger's share is a fraction of keys in (0, 1], got 1.5");
            assertThatThrownBy(() -> ChallengerUpdate.set(pipeline, registry, store, control, 4, ChallengerAssignment.Mode.SHADOW, 1, "r").commit())
                    .hasMessageStartingWith("v4 cannot score the vectors of the view serving (v1)");
            assertThat(snapshots(spark, registry)).isEqualTo(snapshots + 2);
            assertThat(store.challenger()).contains(second);

            ControlMessage.ChallengerChange cleared = ChallengerUpdate.clear(pipeline, registry, store, control, "enough").commit().orElseThrow();
            assertThat(cleared).isEqualTo(new ControlMessage.ChallengerCleared(pipeline, 3, "enough",
                    ((ControlMessage.ChallengerCleared) cleared).clearedAt()));
            assertThat(registry.challenger()).isEmpty();
            assertThat(registry.byVersion(3).orElseThrow().status()).isEqualTo(RegisteredModel.REJECTED);
            assertThat(ChallengerUpdate.clear(pipeline, registry, store, control, "again").commit()).as("nothing to clear").isEmpty();

            assertThat(controlMessages(stack, pipeline, 3)).containsExactly(first, second, cleared);
            assertThat(registry.changes().all()).extracting(change -> change.action().column() + " " + change.fromVersion() + " -> "
                    + change.toVersion() + " " + change.detail().orElse("-") + ": " + change.reason() + ", view " + change.viewVersion())
                    .containsExactly("challenger_set Optional.empty -> Optional[2] ab 0.1: v2 on a tenth of keys, view Optional[1]",
                            "challenger_set Optional[2] -> Optional[3] shadow: v3 in shadow, view Optional[1]",
                            "challenger_cleared Optional[3] -> Optional.empty -: enough, view Optional[1]");
        }
    }

    private static void publishView(ServingStore store, PipelineSpec spec, FeatureLayout layout, Map<String, List<String>> vocabulary) {
        PublishedView view = new PublishedView(spec.name(), 1, new SnapshotRef(1, 1, 1), ServingCut.NONE, 1, Optional.empty(),
                Optional.of("test view"), spec.fingerprint(), FeaturePlan.of(spec).fingerprint(), layout.fingerprint(), layout.names(), vocabulary,
                0, System.currentTimeMillis());
        ViewPublication publication = store.newPublication(view);
        publication.rowsWritten(0);
        publication.commit();
    }
}
