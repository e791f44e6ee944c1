package io.tessera.speed.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.speed.FlinkEnvironments;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.shaded.org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.iceberg.shaded.org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.iceberg.shaded.org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

/**
 * The speed layer's writers write Parquet without dictionaries through {@link StreamingWriteTable} while
 * the table keeps its own settings: the same rows through the table itself get a dictionary for a column of
 * repeated values, and both commits are in the table.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class StreamingWriteTableTest {

    @Test
    void writersThroughTheViewMakeNoDictionaryAndTheTableKeepsItsSettings(TestStack stack) throws Exception {
        TestLake lake = TestLake.create(stack);
        Table table = lake.catalog().loadTable(lake.table());
        Table view = StreamingWriteTable.of(table);
        assertThat(view.properties()).containsAllEntriesOf(StreamingWriteTable.WRITE_PROPERTIES);
        assertThat(view.schema().sameSchema(table.schema())).isTrue();
        assertThat(view.spec()).isEqualTo(table.spec());
        assertThatThrownBy(() -> view.updateProperties().set("x", "y").commit()).isInstanceOf(UnsupportedOperationException.class);

        write(lake, view);
        List<ColumnChunkMetaData> streamed = columnsOfNewestFile(lake);
        write(lake, null);
        List<ColumnChunkMetaData> batch = columnsOfNewestFile(lake);

        assertThat(streamed).extracting(ColumnChunkMetaData::hasDictionaryPage).containsOnly(false);
        assertThat(batch.get(0).hasDictionaryPage()).as("the card column written with the table's own settings").isTrue();
        Table after = lake.catalog().loadTable(lake.table());
        assertThat(after.properties()).doesNotContainKeys(StreamingWriteTable.WRITE_PROPERTIES.keySet().toArray(String[]::new));
        assertThat(after.currentSnapshot().summary()).containsEntry("total-records", "400");
    }

    /** 200 rows of one card through a bounded Flink job's Iceberg sink, through {@code view} if given. */
    private static void write(TestLake lake, Table view) throws Exception {
        StreamExecutionEnvironment env = FlinkEnvironments.local(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<RowData> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(GenericRowData.of(StringData.fromString("4111"), (double) (i % 3)));
        }
        FlinkSink.Builder sink = FlinkSink.forRowData(env.fromData(rows, InternalTypeInfo.of(FlinkSchemaUtil.convert(TestLake.SCHEMA))))
                .tableLoader(TableLoader.fromCatalog(lake.loader(), lake.table())).uidPrefix("lake-events");
        if (view != null) {
            sink.table(view);
        }
        sink.append();
        env.execute("write");
    }

    private static List<ColumnChunkMetaData> columnsOfNewestFile(TestLake lake) throws Exception {
        Table table = lake.catalog().loadTable(lake.table());
        Snapshot snapshot = table.currentSnapshot();
        DataFile file = snapshot.addedDataFiles(table.io()).iterator().next();
        String location = file.location();
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(path))) {
            return reader.getFooter().getBlocks().get(0).getColumns();
        }
    }
}
