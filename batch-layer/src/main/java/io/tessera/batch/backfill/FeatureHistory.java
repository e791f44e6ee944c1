package io.tessera.batch.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.tessera.batch.lake.PipelineTables;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lake.<pipeline>.feature_history}: every key's features as of past cutoffs, written by
 * {@code platform backfill} for backtests and analysts (through Trino: {@code element_at(features,
 * 'txn_count_7d')}). One commit per cutoff, so a cutoff is either all there or absent; nothing that serving
 * reads is touched.
 */
final class FeatureHistory {

    /** The table's layout; {@link #VERSION} changes with it. */
    static final int VERSION = 1;
    static final String TABLE = "feature_history";

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("cutoff", DataTypes.TimestampType, false),
            DataTypes.createStructField("entity", DataTypes.StringType, false),
            DataTypes.createStructField("features", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true), false),
            DataTypes.createStructField("events", DataTypes.LongType, false),
            DataTypes.createStructField("newest_event_time", DataTypes.TimestampType, false),
            DataTypes.createStructField("snapshot_id", DataTypes.LongType, false),
            DataTypes.createStructField("plan_fingerprint", DataTypes.StringType, false),
            DataTypes.createStructField("computed_at", DataTypes.TimestampType, false)));

    private final SparkSession spark;
    private final String table;

    FeatureHistory(SparkSession spark, PipelineTables tables) {
        this.spark = spark;
        this.table = tables.namespace() + "." + TABLE;
    }

    String table() {
        return table;
    }

    void ensure() {
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + SCHEMA.toDDL() + ") USING iceberg PARTITIONED BY (days(cutoff))"
                + " TBLPROPERTIES ('format-version'='2', 'tessera.layout-version'='" + VERSION + "')");
    }

    /** The cutoffs already computed with the plan of {@code planFingerprint}: a resumed backfill skips them. */
    Set<Instant> done(String planFingerprint) {
        spark.catalog().refreshTable(table);
        Set<Instant> cutoffs = new TreeSet<>();
        spark.table(table).filter(org.apache.spark.sql.functions.col("plan_fingerprint").equalTo(planFingerprint))
                .select("cutoff").distinct().collectAsList()
                .forEach(row -> cutoffs.add(row.getTimestamp(0).toInstant()));
        return cutoffs;
    }
}
