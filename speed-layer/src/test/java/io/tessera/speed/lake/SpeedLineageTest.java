package io.tessera.speed.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.speed.FlinkEnvironments;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.junit.jupiter.api.Test;

/**
 * What a real Flink job commits to the lake is what the cut between batch and speed is read from
 * ({@link SnapshotLineage}): a bounded job's end of input is committed with checkpoint id
 * {@code Long.MAX_VALUE}, which reads as "everything this generation wrote is in", and the generation
 * stamped through the sink's snapshot properties travels with every commit, so the next generation's
 * partials are never taken as covered.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class SpeedLineageTest {

    @Test
    void aBoundedJobCommitsEverythingUnderItsGenerationAndTheNextGenerationIsNotCovered(TestStack stack) throws Exception {
        TestLake lake = TestLake.create(stack);
        CatalogLoader loader = lake.loader();
        Catalog catalog = lake.catalog();
        TableIdentifier id = lake.table();

        write(loader, id, 1, "4111", 12.5);
        Snapshot first = catalog.loadTable(id).currentSnapshot();
        assertThat(first.summary()).containsEntry(SnapshotLineage.CHECKPOINT, Long.toString(Long.MAX_VALUE));
        ServingCut afterFirst = SnapshotLineage.fromSummary(first.snapshotId(), first.summary()).orElseThrow().cut();
        assertThat(afterFirst).isEqualTo(new ServingCut(1, ServingCut.COMPLETE));
        assertThat(afterFirst.covers(1, 1)).isTrue();
        assertThat(afterFirst.covers(2, 1)).isFalse();

        write(loader, id, 2, "4222", 30.0);
        Table table = catalog.loadTable(id);
        ServingCut afterSecond = SnapshotLineage.fromSummary(table.currentSnapshot().snapshotId(), table.currentSnapshot().summary())
                .orElseThrow().cut();
        assertThat(afterSecond).isEqualTo(new ServingCut(2, ServingCut.COMPLETE));
        assertThat(afterSecond.covers(1, Long.MAX_VALUE - 1)).isTrue();
        assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "2");
    }

    private static void write(CatalogLoader loader, TableIdentifier id, long generation, String card, double amount) throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        RowType rowType = FlinkSchemaUtil.convert(TestLake.SCHEMA);
        DataStream<RowData> rows = env.fromData(InternalTypeInfo.of(rowType), GenericRowData.of(StringData.fromString(card), amount));
        FlinkSink.forRowData(rows).tableLoader(TableLoader.fromCatalog(loader, id)).uidPrefix("lake-events")
                .setSnapshotProperties(Map.copyOf(SnapshotLineage.sinkProperties(generation, EpochBuckets.SINGLE))).append();
        env.execute("generation-" + generation);
    }
}
