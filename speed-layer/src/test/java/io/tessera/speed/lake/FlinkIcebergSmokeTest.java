package io.tessera.speed.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.tessera.speed.FlinkEnvironments;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.flink.source.IcebergSource;
import org.junit.jupiter.api.Test;

/** Flink (local MiniCluster) appends to an Iceberg table through the REST catalog and reads it back. */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class FlinkIcebergSmokeTest {

    @Test
    void flinkAppendsToIcebergAndReadsItBack(TestStack stack) throws Exception {
        TestLake lake = TestLake.create(stack);
        CatalogLoader loader = lake.loader();
        Catalog catalog = lake.catalog();
        TableIdentifier id = lake.table();
        RowType rowType = FlinkSchemaUtil.convert(TestLake.SCHEMA);

        StreamExecutionEnvironment write = FlinkEnvironments.local(1);
        write.setRuntimeMode(RuntimeExecutionMode.BATCH);
        DataStream<RowData> rows = write.fromData(InternalTypeInfo.of(rowType),
                GenericRowData.of(StringData.fromString("4111"), 12.5),
                GenericRowData.of(StringData.fromString("4222"), 30.0),
                GenericRowData.of(StringData.fromString("4111"), 7.5));
        FlinkSink.forRowData(rows).tableLoader(TableLoader.fromCatalog(loader, id)).append();
        write.execute("smoke-write");

        StreamExecutionEnvironment read = FlinkEnvironments.local(1);
        read.setRuntimeMode(RuntimeExecutionMode.BATCH);
        IcebergSource<RowData> source = IcebergSource.forRowData().tableLoader(TableLoader.fromCatalog(loader, id)).build();
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<RowData> it = read.fromSource(source, WatermarkStrategy.noWatermarks(), "lake", InternalTypeInfo.of(rowType))
                .executeAndCollect()) {
            it.forEachRemaining(row -> seen.add(row.getString(0) + "=" + row.getDouble(1)));
        }
        assertThat(seen).containsExactlyInAnyOrder("4111=12.5", "4222=30.0", "4111=7.5");
        assertThat(catalog.loadTable(id).currentSnapshot().summary()).containsEntry("added-records", "3");
    }
}
