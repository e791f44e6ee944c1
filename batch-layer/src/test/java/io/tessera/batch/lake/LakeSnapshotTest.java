package io.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.tessera.batch.TestSpark;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cut read from real Iceberg snapshots whose summaries are what the speed layer's sink and Flink's
 * committer write (a real bounded Flink job's commit is checked in the speed layer's SpeedLineageTest):
 * a bounded end, a new generation after it, a restart without state, file ingests on top, and expired
 * ancestry.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class LakeSnapshotTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void theCutFollowsGenerationsAcrossBoundedEndsAndRestartsWithoutState(TestStack stack) {
        String table = newTable(stack, "events");
        Table iceberg = LakeSnapshot.load(spark, table);
        assertThat(LakeSnapshot.current(spark, table).cut()).as("a table the speed layer never wrote").isEqualTo(ServingCut.NONE);

        commit(iceberg, SnapshotLineage.generationMarker(1, EpochBuckets.SINGLE));
        commit(iceberg, flink(1, 1));
        commit(iceberg, flink(1, 4));   // checkpoints 2 and 3 aborted or empty
        assertThat(current(table)).isEqualTo(new ServingCut(1, 4));

        commit(iceberg, flink(1, Long.MAX_VALUE));   // the bounded job's end of input
        ServingCut bounded = current(table);
        assertThat(bounded.complete()).isTrue();
        assertThat(bounded.covers(1, 1_000)).isTrue();
        assertThat(bounded.covers(2, 1)).as("MAX is no number to compare the next generation's epochs with").isFalse();

        commit(iceberg, SnapshotLineage.generationMarker(2, EpochBuckets.SINGLE));
        assertThat(current(table)).isEqualTo(new ServingCut(2, 0));
        commit(iceberg, flink(2, 9));
        commit(iceberg, Map.of("tessera.ingest-id", "a-file"));   // a file ingest on top takes its parent's cut
        assertThat(current(table)).isEqualTo(new ServingCut(2, 9));

        commit(iceberg, SnapshotLineage.generationMarker(3, EpochBuckets.SINGLE));   // a restart without state: ids start at 1 again
        commit(iceberg, flink(3, 1));
        ServingCut restarted = current(table);
        assertThat(restarted).isEqualTo(new ServingCut(3, 1));
        assertThat(restarted.covers(2, 9)).as("the cut does not move backwards").isTrue();
        assertThat(restarted.covers(3, 2)).isFalse();
    }

    @Test
    void expiredAncestryIsAClearFailureWhereASpeedLayerWroteAndNoCutWhereNoneEver(TestStack stack) {
        String table = newTable(stack, "events");
        Table iceberg = LakeSnapshot.load(spark, table);
        commit(iceberg, Map.of("tessera.ingest-id", "first"));
        long first = iceberg.currentSnapshot().snapshotId();
        commit(iceberg, Map.of("tessera.ingest-id", "second"));
        iceberg.expireSnapshots().expireSnapshotId(first).commit();
        assertThat(current(table)).isEqualTo(ServingCut.NONE);

        iceberg.updateProperties().set(SnapshotLineage.GENERATION, "1").commit();
        assertThatThrownBy(() -> LakeSnapshot.current(spark, table)).isInstanceOf(LakeSnapshot.ExpiredAncestryException.class)
                .hasMessageContaining("descends from snapshot " + first + ", which has expired");
        assertThatThrownBy(() -> LakeSnapshot.of(spark, table, first)).hasMessageContaining("has no snapshot " + first);
    }

    @Test
    void aFlinkCommitWithoutAGenerationIsRefused(TestStack stack) {
        String table = newTable(stack, "events");
        Table iceberg = LakeSnapshot.load(spark, table);
        commit(iceberg, Map.of(SnapshotLineage.CHECKPOINT, "7"));
        assertThatThrownBy(() -> LakeSnapshot.current(spark, table))
                .hasMessageContaining("committed by a Flink job that does not stamp the speed layer's generation");
    }

    private static ServingCut current(String table) {
        return LakeSnapshot.current(spark, table).cut();
    }

    private static Map<String, String> flink(long generation, long checkpoint) {
        return Map.of(SnapshotLineage.GENERATION, Long.toString(generation), SnapshotLineage.CHECKPOINT, Long.toString(checkpoint));
    }

    /** A snapshot with these summary properties and no data: what matters here is the summary. */
    private static void commit(Table table, Map<String, String> summary) {
        table.refresh();
        var append = table.newAppend();
        summary.forEach(append::set);
        append.commit();
    }

    private static String newTable(TestStack stack, String name) {
        String namespace = LakeSessions.CATALOG + "." + stack.namespace();
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
        String table = namespace + "." + name;
        spark.sql("CREATE TABLE " + table + " (id BIGINT) USING iceberg");
        spark.sql("INSERT INTO " + table + " VALUES (1)");
        return table;
    }
}
