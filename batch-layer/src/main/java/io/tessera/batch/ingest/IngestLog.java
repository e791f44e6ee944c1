package io.tessera.batch.ingest;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.featurestore.lake.IngestRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The ingest log {@code lake.<pipeline>.ingests}: one {@link IngestRecord} per file whose events are in
 * the lake, so that an ingest stays idempotent after {@code expire_snapshots} has erased the snapshot
 * summaries that carried its marker.
 *
 * <p>A row is written after the file's events commit, from that commit's snapshot summary (marker, and
 * the counts {@link #summary} puts there), so a row never claims more than the lake holds. A run that
 * stopped between the two commits leaves a marker without a row; the next ingest of the file, or
 * {@code platform lake maintain} ({@link #reconcile}), adds it from the summary. The row is committed
 * like the events ({@link IngestCommit}, conflict filter: the file's hash), so of two writers of the same
 * row exactly one commits.
 */
public final class IngestLog {

    static final String SOURCE = "tessera.ingest-source";
    static final String DUPLICATES = "tessera.ingest-duplicates";
    static final String QUARANTINED = "tessera.ingest-quarantined";

    private final SparkSession spark;
    private final PipelineTables tables;

    public IngestLog(SparkSession spark, PipelineTables tables) {
        this.spark = spark;
        this.tables = tables;
    }

    /** The summary properties of an events commit, beside the marker, from which its log row is made. */
    static Map<String, String> summary(String source, long duplicates, long quarantined) {
        return Map.of(SOURCE, source, DUPLICATES, Long.toString(duplicates), QUARANTINED, Long.toString(quarantined));
    }

    /** The SHA-256 of every file the log has (none if there is no log yet: a lake from before it). */
    public Set<String> files() {
        if (!spark.catalog().tableExists(tables.ingests())) {
            return new HashSet<>();
        }
        Set<String> files = new HashSet<>();
        rows().select(IngestRecord.FILE_SHA256).collectAsList().forEach(row -> files.add(row.getString(0)));
        return files;
    }

    /** The log's row of the file with this SHA-256, if any. */
    public Optional<IngestRecord> find(String sha256) {
        List<Row> rows = rows().filter(functions.col(IngestRecord.FILE_SHA256).equalTo(sha256)).limit(1).collectAsList();
        return rows.stream().findFirst().map(IngestLog::fromRow);
    }

    /** The log as it is now: other processes append to it, and Spark's catalog caches tables. */
    private Dataset<Row> rows() {
        load();
        spark.catalog().refreshTable(tables.ingests());
        return spark.table(tables.ingests());
    }

    /**
     * Adds the row of the file whose marker {@code events} carries in the ancestry of its {@code main},
     * unless the log has it.
     *
     * @return the row added; empty if the log had it, or no snapshot carries the marker
     */
    Optional<IngestRecord> record(String sha256) {
        Table events = LakeSnapshot.load(spark, tables.events());
        events.refresh();
        Optional<Snapshot> marked = IngestCommit.markedIn(events, sha256);
        if (marked.isEmpty() || find(sha256).isPresent()) {
            return Optional.empty();
        }
        return add(of(sha256, marked.get()));
    }

    /**
     * The rows the log lacks: one for every file whose marker is in the ancestry of {@code events}'
     * {@code main} and not in the log (ingests that stopped after their events commit, and those from
     * before the log).
     */
    public List<IngestRecord> unlogged() {
        Table events = LakeSnapshot.load(spark, tables.events());
        events.refresh();
        Set<String> logged = files();
        List<IngestRecord> missing = new ArrayList<>();
        if (events.currentSnapshot() != null) {
            for (Snapshot snapshot : SnapshotUtil.ancestorsOf(events.currentSnapshot().snapshotId(), events::snapshot)) {
                String marker = snapshot.summary().get(IngestCommit.MARKER);
                if (marker != null && logged.add(marker)) {
                    missing.add(of(marker, snapshot));
                }
            }
        }
        return missing;
    }

    /**
     * Adds the rows the log lacks ({@link #unlogged}), before expiring snapshots erases the summaries they
     * are made from.
     *
     * @return the rows added
     */
    public List<IngestRecord> reconcile() {
        List<IngestRecord> added = new ArrayList<>();
        unlogged().forEach(record -> add(record).ifPresent(added::add));
        return added;
    }

    private Optional<IngestRecord> add(IngestRecord record) {
        Table log = load();
        for (int attempt = 1; ; attempt++) {
            log.refresh();
            Row row = RowFactory.create(record.fileSha256(), record.source(), record.events(), record.duplicates(), record.quarantined(),
                    record.snapshotId(), new Timestamp(record.ingestedAt()));
            try {
                new IngestCommit(log, tables.ingests(), record.fileSha256())
                        .validatingFrom(log.currentSnapshot() == null ? null : log.currentSnapshot().snapshotId())
                        .conflictingWith(Expressions.equal(IngestRecord.FILE_SHA256, record.fileSha256()))
                        .commit(spark.createDataFrame(List.of(row), PipelineTables.ingestsSchema()), 1);
                return Optional.of(record);
            } catch (IngestCommit.AlreadyIngestedException e) {
                return Optional.empty();   // another writer logged the same file first
            } catch (ConcurrentIngestException e) {
                if (find(record.fileSha256()).isPresent()) {
                    return Optional.empty();
                }
                if (attempt == FileIngest.ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The row of a file, from the summary of the events snapshot that carries its marker. */
    static IngestRecord of(String sha256, Snapshot marked) {
        Map<String, String> summary = marked.summary();
        return new IngestRecord(sha256, summary.get(SOURCE), Long.parseLong(summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0")),
                number(summary.get(DUPLICATES)), number(summary.get(QUARANTINED)), marked.snapshotId(), marked.timestampMillis());
    }

    private static Long number(String value) {
        return value == null ? null : Long.valueOf(value);
    }

    private static IngestRecord fromRow(Row row) {
        return new IngestRecord(row.getString(0), row.getString(1), row.getLong(2), row.isNullAt(3) ? null : row.getLong(3),
                row.isNullAt(4) ? null : row.getLong(4), row.getLong(5), row.getTimestamp(6).getTime());
    }

    /** The log's Iceberg table, refused if a newer layout wrote it. */
    private Table load() {
        Table log = LakeSnapshot.load(spark, tables.ingests());
        int version = Integer.parseInt(log.properties().getOrDefault(IngestRecord.VERSION_PROPERTY, "1"));
        if (version > IngestRecord.VERSION) {
            throw new IllegalStateException(tables.ingests() + " has layout version " + version + "; this Tessera reads up to "
                    + IngestRecord.VERSION + ": upgrade it");
        }
        return log;
    }
}
