package io.tessera.batch.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One ingest's rows into one lake table, at most once, in the manner of Iceberg's {@code PendingUpdate}:
 * built with the table, the ingest's marker and what counts as a conflict, then {@link #commit} writes
 * and commits atomically or fails by name.
 *
 * <p>Why not "look for the marker, then append": two ingests of the same file would both look, find
 * nothing and both append. Here the decision is Iceberg's, at commit time, under optimistic concurrency:
 * Spark writes the rows' data files on a private branch (nothing on {@code main} changes), then one
 * {@link OverwriteFiles} adds them to {@code main} with the marker in its snapshot summary, validated
 * against every snapshot committed since {@code base} (the snapshot the ingest read, deduplicated against):
 * if one of them added data that may match the conflict filter, the commit fails, whatever the order of
 * the two writers and whichever retried. The loser then finds the winner's marker ({@link AlreadyIngestedException})
 * or learns that another writer touched the same rows ({@link ConcurrentIngestException}: read again and retry).
 * An overwrite that only adds files is recorded as an {@code append}, as any reader of the table expects.
 */
final class IngestCommit {

    /** Snapshot summary key holding the SHA-256 of the ingested file. */
    static final String MARKER = "tessera.ingest-id";

    private static final int STALE_SEQUENCE_TRIES = 5;

    private final Table table;
    private final String sparkName;
    private final String marker;
    private Long base;
    private Expression conflicts;
    private Map<String, String> summary = Map.of();

    /**
     * @param table the Iceberg table
     * @param sparkName the same table's name in Spark ({@code lake.<p>.events}), to write the rows with
     * @param marker the file's SHA-256
     */
    IngestCommit(Table table, String sparkName, String marker) {
        this.table = table;
        this.sparkName = sparkName;
        this.marker = marker;
    }

    /** The snapshot of {@code main} the ingest read (null: the table had none); later commits are checked. */
    IngestCommit validatingFrom(Long baseSnapshotId) {
        this.base = baseSnapshotId;
        return this;
    }

    /** Which rows a concurrent commit must not have added since the base (an event-time range, a source). */
    IngestCommit conflictingWith(Expression filter) {
        this.conflicts = filter;
        return this;
    }

    /** More properties for the summary of the snapshot that carries the marker (what the ingest counted). */
    IngestCommit describedBy(Map<String, String> properties) {
        this.summary = Map.copyOf(properties);
        return this;
    }

    /** Whether {@code table}'s {@code main} has a snapshot with {@code marker} in its ancestry. */
    static boolean isIn(Table table, String marker) {
        return markedIn(table, marker).isPresent();
    }

    /** The snapshot in the ancestry of {@code table}'s {@code main} that carries {@code marker}, if it has not expired. */
    static Optional<Snapshot> markedIn(Table table, String marker) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return Optional.empty();
        }
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (marker.equals(snapshot.summary().get(MARKER))) {
                return Optional.of(snapshot);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes {@code rows} and commits them to {@code main} with the marker.
     *
     * @param rowCount how many rows {@code rows} holds: none commits the marker alone (nothing can be duplicated)
     * @return the snapshot committed on {@code main}
     * @throws AlreadyIngestedException if a concurrent ingest of the same file committed first
     * @throws ConcurrentIngestException if another writer added rows the conflict filter matches since the base
     */
    long commit(Dataset<Row> rows, long rowCount) {
        if (rowCount == 0) {
            againOnStaleSequence(() -> {
                AppendFiles append = table.newAppend().set(MARKER, marker);
                summary.forEach(append::set);
                append.commit();
            });
            return marked();
        }
        java.util.Objects.requireNonNull(conflicts, "conflictingWith");
        String branch = IngestBranch.name(marker, System.currentTimeMillis());
        againOnStaleSequence(() -> {
            if (base == null) {
                table.manageSnapshots().createBranch(branch).commit();   // an empty table: the branch starts with an empty snapshot
            } else {
                table.manageSnapshots().createBranch(branch, base).commit();
            }
        });
        RuntimeException failure = null;
        try {
            againOnStaleSequence(() -> {
                // Spark's catalog caches table instances: one loaded before the branch was made does not know it
                SparkSession.active().catalog().refreshTable(sparkName);
                try {
                    rows.writeTo(sparkName + ".branch_" + branch).append();
                } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
                    throw new IllegalStateException(sparkName + " vanished during the ingest", e);
                }
            });
            table.refresh();
            List<DataFile> files = new ArrayList<>();
            table.snapshot(branch).addedDataFiles(table.io()).forEach(files::add);
            try {
                againOnStaleSequence(() -> {
                    OverwriteFiles add = table.newOverwrite().set(MARKER, marker).conflictDetectionFilter(conflicts).validateNoConflictingData();
                    summary.forEach(add::set);
                    if (base != null) {
                        add.validateFromSnapshot(base);
                    }
                    files.forEach(add::addFile);
                    add.commit();
                });
            } catch (ValidationException | CommitFailedException e) {
                table.refresh();
                if (isIn(table, marker)) {
                    throw new AlreadyIngestedException(sparkName + ": a concurrent ingest of the same file committed first", e);
                }
                throw new ConcurrentIngestException(sparkName + ": another writer added rows this ingest overlaps while it ran ("
                        + e.getMessage() + ")", e);
            }
            return marked();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                table.manageSnapshots().removeBranch(branch).commit();
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);   // the ingest's own failure is the one to report
            }
        }
    }

    /** The snapshot of {@code main} that carries the marker (another writer may have committed after it). */
    private long marked() {
        table.refresh();
        // Spark's catalog caches table instances, and the branch write may have cached one from before this commit
        SparkSession.active().catalog().refreshTable(sparkName);
        return markedIn(table, marker).orElseThrow(() -> new IllegalStateException(sparkName + ": the ingest's commit is not in the ancestry of main"))
                .snapshotId();
    }

    /**
     * Runs {@code commit} again (up to {@value #STALE_SEQUENCE_TRIES} times, the table refreshed) while the
     * catalog refuses it because a concurrent commit to another ref of the table (another ingest's branch)
     * took the sequence number it was built with. The REST catalog answers that race with 400, not the
     * 409 of a lost race on the same ref, so Iceberg does not retry it by itself; it is the same race. The
     * same for a write through a table instance Spark's catalog cached before the branch existed.
     */
    private void againOnStaleSequence(Runnable commit) {
        for (int attempt = 1; ; attempt++) {
            try {
                commit.run();
                return;
            } catch (RuntimeException e) {
                if (attempt == STALE_SEQUENCE_TRIES || !staleSequence(e)) {
                    throw e;
                }
                table.refresh();
            }
        }
    }

    private static boolean staleSequence(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.apache.iceberg.exceptions.BadRequestException && String.valueOf(cause.getMessage())
                    .contains("older than last sequence number")) {
                return true;
            }
            if (cause instanceof ValidationException && String.valueOf(cause.getMessage()).startsWith("Cannot use branch (does not exist)")) {
                return true;   // Spark wrote through a cached instance from before the branch: refreshed on the next try
            }
        }
        return false;
    }

    /** The file's rows are in the table already: a concurrent ingest of the same file won. */
    static final class AlreadyIngestedException extends RuntimeException {
        AlreadyIngestedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
