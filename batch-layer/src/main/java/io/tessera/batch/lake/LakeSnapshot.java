package io.tessera.batch.lake;

import java.util.Optional;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * The snapshot S of the master dataset a batch run reads, and the cut it implies for the speed layer:
 * the newest Flink checkpoint c whose records S contains (DESIGN.md, "the cut between the layers").
 * A snapshot written by another writer (a file ingest) carries no checkpoint id; c is then taken from its
 * newest Flink-written ancestor, and is absent when there is none.
 *
 * @param flinkCheckpoint c: speed-layer partials with epoch <= c are covered by S
 */
public record LakeSnapshot(long snapshotId, long committedAtMillis, Optional<Long> flinkCheckpoint) {

    /** Iceberg's Flink sink records the checkpoint it committed under this summary key (STACK.md). */
    public static final String FLINK_CHECKPOINT = "flink.max-committed-checkpoint-id";

    /**
     * The current snapshot of {@code table}.
     *
     * @throws IllegalStateException if the table has no snapshot (nothing ingested yet)
     */
    public static LakeSnapshot current(SparkSession spark, String table) {
        Table iceberg = load(spark, table);
        Snapshot snapshot = iceberg.currentSnapshot();
        if (snapshot == null) {
            throw new IllegalStateException(table + " is empty: ingest events first (platform ingest)");
        }
        return of(iceberg, snapshot);
    }

    public static LakeSnapshot of(SparkSession spark, String table, long snapshotId) {
        Table iceberg = load(spark, table);
        Snapshot snapshot = iceberg.snapshot(snapshotId);
        if (snapshot == null) {
            throw new IllegalArgumentException(table + " has no snapshot " + snapshotId);
        }
        return of(iceberg, snapshot);
    }

    private static LakeSnapshot of(Table table, Snapshot snapshot) {
        Optional<Long> checkpoint = Optional.empty();
        for (Snapshot s = snapshot; s != null && checkpoint.isEmpty(); s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            checkpoint = Optional.ofNullable(s.summary().get(FLINK_CHECKPOINT)).map(Long::parseLong);
        }
        return new LakeSnapshot(snapshot.snapshotId(), snapshot.timestampMillis(), checkpoint);
    }

    /** The Iceberg table behind a Spark table name. */
    public static Table load(SparkSession spark, String table) {
        try {
            return Spark3Util.loadIcebergTable(spark, table);
        } catch (org.apache.spark.sql.catalyst.parser.ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalArgumentException("no Iceberg table " + table, e);
        }
    }
}
