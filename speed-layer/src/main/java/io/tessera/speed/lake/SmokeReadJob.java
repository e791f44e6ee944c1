package io.tessera.speed.lake;

import java.util.concurrent.Callable;

import io.tessera.speed.FlinkEnvironments;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.source.IcebergSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads a lake table with Flink: the demo's check that the speed layer reaches the lake. */
@Command(name = "smoke-read", description = "Count the rows of an Iceberg table through the REST catalog.")
public final class SmokeReadJob implements Callable<Integer> {

    @Option(names = "--catalog-uri", required = true)
    String catalogUri;

    @Option(names = "--table", required = true, description = "namespace.table")
    String table;

    @Option(names = "--expect-rows", description = "Exit 1 unless exactly this many rows are read.")
    Long expectedRows;

    @Override
    public Integer call() throws Exception {
        CatalogLoader loader = LakeCatalogs.rest(catalogUri);
        TableIdentifier id = TableIdentifier.parse(table);
        org.apache.iceberg.Schema schema;
        try (var catalog = (org.apache.iceberg.rest.RESTCatalog) loader.loadCatalog()) {
            schema = catalog.loadTable(id).schema();
        }
        StreamExecutionEnvironment env = FlinkEnvironments.local(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        IcebergSource<RowData> source = IcebergSource.forRowData().tableLoader(TableLoader.fromCatalog(loader, id)).build();
        long rows = 0;
        try (CloseableIterator<RowData> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake",
                InternalTypeInfo.of(FlinkSchemaUtil.convert(schema))).executeAndCollect()) {
            while (it.hasNext()) {
                it.next();
                rows++;
            }
        }
        System.out.printf("flink: read %d rows from lake.%s%n", rows, table);
        if (expectedRows != null && rows != expectedRows) {
            System.err.printf("flink: expected %d rows, read %d%n", expectedRows, rows);
            return 1;
        }
        return 0;
    }
}
