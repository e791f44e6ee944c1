package io.tessera.batch.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.lake.LakeTables;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * The snapshot S of the master dataset a batch run reads, and the cut it implies for the speed layer
 * (docs/architecture.md, "Time, windows and the cut between the layers"): the lineage of the newest
 * speed-layer commit S descends from, as {@link SnapshotLineage} defines it. A snapshot written by
 * another writer (a file ingest) takes the cut of its newest ancestor that carries one.
 */
public record LakeSnapshot(SnapshotRef ref, ServingCut cut) {

    /**
     * The current snapshot of {@code table}.
     *
     * @throws IllegalStateException if the table has no snapshot (nothing ingested yet)
     * @throws ExpiredAncestryException if the ancestors that tell the cut have expired
     */
    public static LakeSnapshot current(SparkSession spark, String table) {
        Table iceberg = load(spark, table);
        iceberg.refresh();   // Spark's catalog caches tables: other writers (the speed layer, an ingest) commit meanwhile
        Snapshot snapshot = iceberg.currentSnapshot();
        if (snapshot == null) {
            throw new IllegalStateException(table + " is empty: ingest events first (platform ingest)");
        }
        return of(iceberg, snapshot);
    }

    /**
     * @throws IllegalArgumentException if the table has no such snapshot (or it has expired)
     * @throws ExpiredAncestryException if the ancestors that tell the cut have expired
     */
    public static LakeSnapshot of(SparkSession spark, String table, long snapshotId) {
        Table iceberg = load(spark, table);
        Snapshot snapshot = iceberg.snapshot(snapshotId);
        if (snapshot == null) {
            throw new IllegalArgumentException(table + " has no snapshot " + snapshotId + " (never, or expired)");
        }
        return of(iceberg, snapshot);
    }

    static LakeSnapshot of(Table table, Snapshot snapshot) {
        return new LakeSnapshot(new SnapshotRef(snapshot.snapshotId(), snapshot.sequenceNumber(), snapshot.timestampMillis()),
                cut(table, snapshot));
    }

    private static ServingCut cut(Table table, Snapshot snapshot) {
        for (Snapshot s = snapshot; ; ) {
            Optional<SnapshotLineage> lineage = SnapshotLineage.fromSummary(s.snapshotId(), s.summary());
            if (lineage.isPresent()) {
                return lineage.get().cut();
            }
            Long parent = s.parentId();
            if (parent == null) {
                return ServingCut.NONE;
            }
            Snapshot next = table.snapshot(parent);
            if (next == null) {
                if (!table.properties().containsKey(SnapshotLineage.GENERATION)) {
                    return ServingCut.NONE;   // no speed layer ever wrote this table: nothing to cut
                }
                throw new ExpiredAncestryException("lake snapshot " + snapshot.snapshotId() + " descends from snapshot " + parent
                        + ", which has expired, before any speed-layer commit: the cut between batch and speed cannot be told."
                        + " Read a newer snapshot (one made by the speed layer or after its last commit), and expire snapshots"
                        + " with `platform lake maintain`, which keeps what the cut needs");
            }
            s = next;
        }
    }

    /**
     * Whether the rows of {@code table} changed from snapshot {@code since} to {@code until}: a snapshot
     * between them appended rows, overwrote or deleted some. A compaction ({@code replace}) changes no row,
     * nor does an append of nothing: the speed layer's committer commits a checkpoint without events every
     * so often, only to advance its lineage. True when {@code since} is not an ancestor of {@code until}
     * (expired, or the table was rolled back): nothing tells what changed then.
     */
    public static boolean rowsChanged(SparkSession spark, String table, long since, long until) {
        return rowsChanged(load(spark, table), since, until, Expressions.alwaysTrue());
    }

    /**
     * {@link #rowsChanged} for the rows of an event time before {@code before} (epoch milliseconds) only:
     * what a training set of that cutoff is made of. The events the speed layer appends after the cutoff
     * do not change it; a late or backfilled event from before it does. Iceberg answers from the appended
     * files' partitions and column bounds, not by reading rows.
     */
    public static boolean rowsBeforeChanged(SparkSession spark, String table, long since, long until, long before) {
        return rowsChanged(load(spark, table), since, until, Expressions.lessThan(LakeTables.EVENT_TIME, before * 1000));
    }

    private static boolean rowsChanged(Table table, long since, long until, Expression rows) {
        boolean appended = false;
        Snapshot snapshot = table.snapshot(until);
        while (snapshot == null || snapshot.snapshotId() != since) {
            if (snapshot == null) {
                return true;
            }
            switch (snapshot.operation()) {
                case DataOperations.REPLACE -> {
                }
                // Iceberg records a count only when it is not zero
                case DataOperations.APPEND -> appended |= Long.parseLong(snapshot.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0")) > 0;
                default -> {
                    return true;
                }
            }
            snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
        }
        if (!appended || rows.op() == Expression.Operation.TRUE) {
            return appended;
        }
        try (CloseableIterable<FileScanTask> files = table.newIncrementalAppendScan().fromSnapshotExclusive(since).toSnapshot(until)
                .filter(rows).planFiles()) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Iceberg table behind a Spark table name. */
    public static Table load(SparkSession spark, String table) {
        try {
            return Spark3Util.loadIcebergTable(spark, table);
        } catch (org.apache.spark.sql.catalyst.parser.ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalArgumentException("no Iceberg table " + table, e);
        }
    }

    /** The ancestry of a snapshot has expired where the cut is recorded. */
    public static final class ExpiredAncestryException extends IllegalStateException {
        public ExpiredAncestryException(String message) {
            super(message);
        }
    }
}
