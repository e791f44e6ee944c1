package io.tessera.batch.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.publish.PublishOutcome;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh of the batch view between retrains, against the real lake, serving and control stream: the
 * lake's current snapshot with the cutoff, vocabularies and champion of the view serving, published as a
 * newer version; nothing when the lake's events have not changed (a commit of no rows, as the speed layer makes, or a compaction);
 * the speed layer's events above the cut rounded down to a bucket's end left out; refused for a spec with other features.
 */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA})
class ViewRefreshTest {

    /** The sample's unix_time runs 2013-06-21 to 2013-06-22; the cutoff is the next morning. */
    private static final Instant CUTOFF = Instant.parse("2013-06-23T06:00:00Z");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void aRefreshPublishesTheCurrentSnapshotAsTheViewServingWasComputed(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        // the sample's event ids: the whole file after its first 4,500 rows adds the rest once; a holdout of the latest half passes the gate
        SpecText spec = SpecText.of(BatchTestData.cardFraudSpecWithEventId(pipeline).yaml().replace("  holdout: 20%", "  holdout: 50%"),
                "refreshed.yaml");
        PipelineTables tables = new PipelineTables(spark, spec.spec());
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 4500, List.of()));
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                spec.spec().serving().view())) {
            Retrain retrain = new Retrain(spark, spec, new BatchViewPublisher(spark, tables, store, new ControlChannel(stack.kafkaBootstrap(),
                    pipeline)));
            RetrainOutcome trained = retrain.run(Optional.empty(), CUTOFF.toEpochMilli());
            PublishedView nightly = store.current().orElseThrow().view();
            assertThat(nightly.champion()).as("the gate made a champion").isPresent();
            assertThat(retrain.refresh(nightly)).as("the lake has not changed").isEmpty();

            new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));
            Optional<PublishOutcome> refreshed = retrain.refresh(nightly);

            PublishedView view = refreshed.orElseThrow().view();
            assertThat(refreshed.get().status()).isEqualTo(PublishOutcome.Status.SWITCHED);
            assertThat(store.current().orElseThrow().view()).isEqualTo(view);
            assertThat(view.viewVersion()).isGreaterThan(nightly.viewVersion());
            assertThat(view.snapshot().id()).isEqualTo(LakeSnapshot.current(spark, tables.events()).ref().id());
            assertThat(view.cutoff()).isEqualTo(nightly.cutoff());
            assertThat(view.champion()).isEqualTo(nightly.champion());
            assertThat(view.vocabularies()).isEqualTo(nightly.vocabularies());
            assertThat(view.layoutFingerprint()).isEqualTo(nightly.layoutFingerprint());
            assertThat(events(pipeline, nightly.viewVersion())).isEqualTo(4500);
            assertThat(events(pipeline, view.viewVersion())).as("every event of the lake now, each once")
                    .isEqualTo(spark.table(tables.events()).count()).isGreaterThan(5000);
            assertThat(view.entities()).isGreaterThanOrEqualTo(nightly.entities());
            assertThat(trained.candidate().version()).as("nothing trained").isEqualTo(nightly.champion().orElseThrow().version());

            assertThat(retrain.refresh(view)).as("refreshed already").isEmpty();
            // the speed layer's committer commits a checkpoint without events every so often: a snapshot that changes no row
            org.apache.iceberg.Table events = LakeSnapshot.load(spark, tables.events());
            events.newAppend().set(SnapshotLineage.GENERATION, "1").set(SnapshotLineage.CHECKPOINT, "7").commit();
            assertThat(LakeSnapshot.current(spark, tables.events()).ref().id()).isNotEqualTo(view.snapshot().id());
            assertThat(retrain.refresh(view)).as("no event since the view's snapshot").isEmpty();
            // nor does a compaction change one (lake maintain's rewrite step)
            org.apache.iceberg.actions.RewriteDataFiles.Result compacted = org.apache.iceberg.spark.actions.SparkActions.get(spark)
                    .rewriteDataFiles(events).option("min-input-files", "2").execute();
            assertThat(compacted.rewrittenDataFilesCount()).isGreaterThan(1);
            events.refresh();
            assertThat(events.currentSnapshot().operation()).isEqualTo(org.apache.iceberg.DataOperations.REPLACE);
            assertThat(retrain.refresh(view)).as("only compacted since the view's snapshot").isEmpty();

            // a speed-layer generation with buckets of 2 epochs commits checkpoint 5: the view's cut rounds down to 4, and the
            // view holds the events of its epochs up to 4, not those of epoch 5 (they stay in the realtime rows)
            long lakeEvents = spark.table(tables.events()).count();
            spark.table(tables.events()).orderBy("trans_num").limit(10)
                    .withColumn("trans_num", functions.concat(functions.lit("speed-"), functions.col("trans_num")))
                    .withColumn(LakeTables.SPEED_GENERATION, functions.lit(2L))
                    .withColumn(LakeTables.SPEED_EPOCH, functions.expr("cast((row_number() over (order by trans_num) + 1) div 2 as bigint)"))
                    .writeTo(tables.events())
                    .option("snapshot-property." + SnapshotLineage.GENERATION, "2")
                    .option("snapshot-property." + SnapshotLineage.CHECKPOINT, "5")
                    .option("snapshot-property." + SnapshotLineage.BUCKET_EPOCHS, "2")
                    .append();
            PublishedView withSpeed = retrain.refresh(view).orElseThrow().view();
            assertThat(withSpeed.cut()).isEqualTo(new ServingCut(2, 4));
            assertThat(events(pipeline, withSpeed.viewVersion())).as("the file's events and the speed layer's of epochs 1 to 4")
                    .isEqualTo(lakeEvents + 8);
            SpecText otherFeatures = SpecText.of(spec.yaml().replace("windows: [1h, 24h, 7d] }", "windows: [1h, 7d] }"), "other.yaml");
            Retrain other = new Retrain(spark, otherFeatures, new BatchViewPublisher(spark, tables, store,
                    new ControlChannel(stack.kafkaBootstrap(), pipeline)));
            assertThatThrownBy(() -> other.refresh(view)).isInstanceOf(ViewRefreshRefusedException.class)
                    .hasMessageContaining("was computed with other features than this spec's");
        }
    }

    private static long events(String pipeline, long viewVersion) {
        Row row = spark.sql("SELECT sum(events) FROM lake." + pipeline + ".batch_view WHERE view_version = " + viewVersion).first();
        return row.getLong(0);
    }
}
