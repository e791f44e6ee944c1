package io.tessera.speed.lake;

import io.tessera.featurestore.lake.LakeTables;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * A lake table as the speed layer's Iceberg writers see it: the catalog's table with Parquet settings of
 * their own in its properties, nothing committed through it (the sinks commit through their table loader).
 *
 * <p>Why: Flink's Iceberg sink takes its writers' Parquet settings from the table's properties, which
 * are the batch layer's too. A streaming writer's files live until {@code platform lake maintain}
 * rewrites them with the table's settings, so it writes them cheaply: without dictionaries (Parquet
 * builds one per column and file, then gives up on the columns of unique values: half of the speed
 * layer's Parquet work, docs/stack.md, "Flink") and without page statistics for the raw record (a
 * comparison of whole lines per row, for bounds nobody filters on).
 */
final class StreamingWriteTable {

    static final Map<String, String> WRITE_PROPERTIES = Map.of(
            "parquet.enable.dictionary", "false",
            "write.parquet.stats-enabled.column." + LakeTables.RAW_RECORD, "false");

    private StreamingWriteTable() {
    }

    /** {@code table} with {@link #WRITE_PROPERTIES} over its own properties; committing through it fails. */
    static Table of(Table table) {
        TableOperations catalogs = ((HasTableOperations) table).operations();
        Map<String, String> properties = new HashMap<>(table.properties());
        properties.putAll(WRITE_PROPERTIES);
        TableMetadata metadata = TableMetadata.buildFrom(catalogs.current()).setProperties(properties).build();
        return new BaseTable(new WriterOperations(catalogs, metadata), table.name());
    }

    private static final class WriterOperations implements TableOperations {

        private final TableOperations catalogs;
        private final TableMetadata metadata;

        WriterOperations(TableOperations catalogs, TableMetadata metadata) {
            this.catalogs = catalogs;
            this.metadata = metadata;
        }

        @Override
        public TableMetadata current() {
            return metadata;
        }

        @Override
        public TableMetadata refresh() {
            return metadata;
        }

        @Override
        public void commit(TableMetadata base, TableMetadata changed) {
            throw new UnsupportedOperationException("the speed layer's writers' view of " + metadata.location() + " commits nothing");
        }

        @Override
        public FileIO io() {
            return catalogs.io();
        }

        @Override
        public EncryptionManager encryption() {
            return catalogs.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return catalogs.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return catalogs.locationProvider();
        }
    }
}
