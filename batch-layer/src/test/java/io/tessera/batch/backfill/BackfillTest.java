package io.tessera.batch.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.features.EventRows;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.retrain.TrainingSets;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfill computes every key's features as of each past cutoff, equal to a recomputation of the key's
 * events before the cutoff one at a time, one commit per cutoff; a second run over a longer range computes
 * only the cutoffs that are missing.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class BackfillTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void cutoffsAreComputedOnceAsTheLakeSaysAndARerunSkipsThem(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 300, List.of()));
        String events = "lake." + stack.namespace() + ".events";
        Instant first = spark.table(events).agg(functions.min("event_time")).first().getTimestamp(0).toInstant();
        Instant from = first.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        List<Instant> all = Backfill.cutoffs(from, from.plus(Duration.ofHours(2)), Duration.ofHours(1));
        assertThat(all).hasSize(3);

        Backfill.Outcome partial = new Backfill(spark, spec).run(all.subList(0, 2), false, quiet());
        assertThat(partial.computed()).containsExactlyElementsOf(all.subList(0, 2));
        Backfill.Outcome resumed = new Backfill(spark, spec).run(all, false, quiet());
        assertThat(resumed.skipped()).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(resumed.computed()).containsExactly(all.get(2));

        String history = "lake." + stack.namespace() + "." + FeatureHistory.TABLE;
        EventRows rows = new EventRows(spec.spec());
        Dataset<Row> lake = spark.table(events).select(java.util.Arrays.stream(rows.columns()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        FeaturePlan plan = FeaturePlan.of(spec.spec());
        Map<String, List<Event>> byKey = new java.util.HashMap<>();
        lake.collectAsList().forEach(r -> byKey.computeIfAbsent(rows.entityOf(r), k -> new ArrayList<>()).add(rows.toEvent(r)));
        for (Instant cutoff : all) {
            long t = cutoff.toEpochMilli();
            List<Row> stored = spark.table(history).filter(functions.col("cutoff").equalTo(java.sql.Timestamp.from(cutoff))).collectAsList();
            assertThat((long) stored.size()).as("one row per key with events before %s", cutoff)
                    .isEqualTo(byKey.values().stream().filter(list -> list.stream().anyMatch(e -> e.time() < t)).count()).isPositive();
            FeatureLayout layout = FeatureLayout.of(spec.spec(), new BatchFeatures(spark, spec).learnVocabularies(BatchFeatures.before(lake, t)));
            for (Row row : stored) {
                String key = row.getString(row.fieldIndex("entity"));
                List<Event> keyEvents = byKey.get(key).stream().filter(e -> e.time() < t).sorted(EventOrder.COMPARATOR).toList();
                EntityTiles tiles = plan.newEntity();
                keyEvents.forEach(e -> plan.add(tiles, e, Long.MIN_VALUE));
                double[] expected = layout.assemble(tiles, t, null);
                Map<String, Double> features = row.getJavaMap(row.fieldIndex("features"));
                for (int i = 0; i < expected.length; i++) {
                    String name = layout.names().get(i);
                    assertThat(features.get(name)).as("%s of %s at %s", name, key, cutoff).isEqualTo(Double.valueOf(expected[i]));
                }
                assertThat(row.getLong(row.fieldIndex("events"))).isEqualTo(keyEvents.size());
            }
        }
        assertThat(spark.table(history).count()).as("a re-run appended nothing twice")
                .isEqualTo(spark.table(history).select("cutoff", "entity").distinct().count());
    }

    @Test
    void trainingSetsAreWrittenUnderTheRunKeyOfARetrainOfTheirCutoffOnce(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace() + "_ts");
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 300, List.of()));
        String events = "lake." + stack.namespace() + "_ts.events";
        Instant first = spark.table(events).agg(functions.min("event_time")).first().getTimestamp(0).toInstant();
        Instant from = first.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
        List<Instant> cutoffs = Backfill.cutoffs(from, from.plus(Duration.ofHours(3)), Duration.ofHours(3));

        Backfill.Outcome outcome = new Backfill(spark, spec).run(cutoffs.subList(0, 1), true, quiet());
        assertThat(outcome.trainingSets()).containsExactly(cutoffs.get(0));
        Backfill.Outcome resumed = new Backfill(spark, spec).run(cutoffs, true, quiet());
        assertThat(resumed.trainingSets()).as("the first cutoff's is there already").containsExactly(cutoffs.get(1));
        assertThat(resumed.skipped()).containsExactly(cutoffs.get(0));

        String table = "lake." + stack.namespace() + "_ts." + TrainingSets.TABLE;
        EventRows rows = new EventRows(spec.spec());
        Dataset<Row> lake = spark.table(events).select(java.util.Arrays.stream(rows.columns()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        for (Instant cutoff : cutoffs) {
            String runKey = TrainingSets.runKey(spec.spec(), outcome.snapshotId(), cutoff.toEpochMilli());
            Dataset<Row> set = spark.table(table).filter(functions.col("run_key").equalTo(runKey));
            long before = spark.table(events).filter(functions.col("event_time").lt(java.sql.Timestamp.from(cutoff))).count();
            assertThat(set.count()).as("one row per event before %s, once, under the retrain's run key", cutoff).isEqualTo(before).isPositive();
            assertThat(set.agg(functions.max("event_time")).first().getTimestamp(0).toInstant()).isBefore(cutoff);
            int width = FeatureLayout.of(spec.spec(), new BatchFeatures(spark, spec).learnVocabularies(
                    BatchFeatures.before(lake, cutoff.toEpochMilli()))).names().size();
            assertThat(set.select(functions.size(functions.col("features"))).distinct().collectAsList())
                    .as("vectors of the layout learned before the cutoff").extracting(row -> row.getInt(0)).containsExactly(width);
        }
    }

    @Test
    void anEmptyOrBackwardRangeIsRefused() {
        assertThatThrownBy(() -> Backfill.cutoffs(Instant.parse("2013-06-02T00:00:00Z"), Instant.parse("2013-06-01T00:00:00Z"), Duration.ofDays(1)))
                .hasMessageContaining("before --from");
        assertThatThrownBy(() -> Backfill.cutoffs(Instant.EPOCH, Instant.EPOCH, Duration.ZERO)).hasMessageContaining("must be positive");
    }

    private static Backfill.Progress quiet() {
        return new Backfill.Progress() {
            @Override
            public void started(int cutoffs) {
            }

            @Override
            public void cutoff(Instant cutoff, boolean skipped, long rows) {
            }
        };
    }
}
