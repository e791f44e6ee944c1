package io.tessera.batch.publish;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.BatchViewWriter;
import io.tessera.serving.store.IncompleteViewException;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.StaleViewException;
import io.tessera.serving.store.ViewPublication;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes a batch view safely (docs/architecture.md, "Safe publication"). In order: the view's rows
 * into the lake's history ({@code batch_view}, by version) and into the serving tables, invisible to
 * readers; then the serving switch ({@link ViewPublication#commit()}: forward-only, all or nothing);
 * then the lake's {@code publications} row saying what happened; then the control message. A failure
 * before the switch leaves the previous view serving; a re-run finds what the lake or serving recorded
 * and completes it, so every step is safe to repeat. A view older than the one serving is kept in the
 * history as superseded and never served.
 */
public final class BatchViewPublisher {

    static final String PUBLISHED = "published";
    static final String SUPERSEDED = "superseded";

    /** {@code lake.<pipeline>.publications}: one row per view version written, and what became of it. */
    static final StructType PUBLICATIONS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("view_version", DataTypes.LongType, false),
            DataTypes.createStructField("state", DataTypes.StringType, false),
            DataTypes.createStructField("spec_fingerprint", DataTypes.StringType, false),
            DataTypes.createStructField("snapshot_id", DataTypes.LongType, false),
            DataTypes.createStructField("snapshot_committed_at", DataTypes.TimestampType, false),
            DataTypes.createStructField("cut_generation", DataTypes.LongType, false),
            DataTypes.createStructField("cut_checkpoint", DataTypes.LongType, false),
            DataTypes.createStructField("cutoff", DataTypes.TimestampType, false),
            DataTypes.createStructField("champion_version", DataTypes.LongType, true),
            DataTypes.createStructField("scores_withheld", DataTypes.StringType, true),
            DataTypes.createStructField("entities", DataTypes.LongType, false),
            DataTypes.createStructField("published_at", DataTypes.TimestampType, false),
            DataTypes.createStructField("publication", DataTypes.StringType, false)));

    private final SparkSession spark;
    private final String viewTable;
    private final String publicationsTable;
    private final ServingStore serving;
    private final ControlChannel control;

    public BatchViewPublisher(SparkSession spark, PipelineTables tables, ServingStore serving, ControlChannel control) {
        this.spark = spark;
        this.viewTable = tables.namespace() + ".batch_view";
        this.publicationsTable = publications(tables);
        this.serving = serving;
        this.control = control;
    }

    /** Creates the lake's history tables and migrates the serving tables. */
    public void ensure() {
        StructType viewSchema = BatchFeatures.VIEW_SCHEMA.add("view_version", DataTypes.LongType, false);
        retireLegacy(viewTable, "partials");
        retireLegacy(publicationsTable, "cut_generation");
        spark.sql("CREATE TABLE IF NOT EXISTS " + viewTable + " (" + viewSchema.toDDL() + ") USING iceberg"
                + " PARTITIONED BY (view_version) TBLPROPERTIES ('format-version'='2')");
        spark.sql("CREATE TABLE IF NOT EXISTS " + publicationsTable + " (" + PUBLICATIONS.toDDL() + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2')");
        serving.migrate();
    }

    /**
     * Tables of a Tessera from before partials (finished vectors, a bare checkpoint as the cut) are kept
     * under another name for the record; the history starts again beside them.
     */
    private void retireLegacy(String table, String requiredColumn) {
        if (spark.catalog().tableExists(table) && !List.of(spark.table(table).schema().fieldNames()).contains(requiredColumn)) {
            spark.sql("ALTER TABLE " + table + " RENAME TO " + table + "_before_partials");
        }
    }

    /** A view an earlier run recorded for this spec, snapshot, cutoff and champion, and what became of it. */
    public record Recorded(PublishedView view, String state) {
    }

    /**
     * The view of this spec, snapshot, cutoff and champion that an earlier run published (or found
     * superseded), if any: from the lake's record, or from serving when a run stopped after the switch
     * and before the record.
     */
    public Optional<Recorded> find(Fingerprint spec, long snapshotId, long cutoff, Optional<Long> championVersion) {
        String champion = championVersion.map(v -> "champion_version = " + v).orElse("champion_version IS NULL");
        List<Row> rows = spark.table(publicationsTable)
                .filter("spec_fingerprint = '" + spec.hex() + "' AND snapshot_id = " + snapshotId + " AND cutoff = timestamp_millis(" + cutoff
                        + ") AND " + champion)
                .orderBy(functions.col("view_version").desc()).select("publication", "state").collectAsList();
        if (!rows.isEmpty()) {
            return Optional.of(new Recorded(ControlMessageCodec.viewFromJson(rows.get(0).getString(0)), rows.get(0).getString(1)));
        }
        return serving.current().map(ServedView::view)
                .filter(view -> view.specFingerprint().equals(spec) && view.snapshot().id() == snapshotId && view.cutoff() == cutoff
                        && view.champion().map(ChampionRef::version).equals(championVersion))
                .map(view -> new Recorded(view, PUBLISHED));
    }

    /**
     * The snapshot of {@code events} each recorded view (published or superseded) was computed from, by
     * view version: what {@code platform lake maintain} keeps. Empty if nothing was recorded yet.
     */
    public static Map<Long, Long> viewSnapshots(SparkSession spark, PipelineTables tables) {
        String table = publications(tables);
        Map<Long, Long> snapshots = new java.util.TreeMap<>();
        if (spark.catalog().tableExists(table)) {
            spark.table(table).select("view_version", "snapshot_id").collectAsList().forEach(row -> snapshots.put(row.getLong(0), row.getLong(1)));
        }
        return snapshots;
    }

    private static String publications(PipelineTables tables) {
        return tables.namespace() + ".publications";
    }

    public long nextViewVersion() {
        Row row = spark.sql("SELECT max(view_version) FROM " + publicationsTable).first();
        long recorded = row.isNullAt(0) ? 0 : row.getLong(0);
        Row written = spark.sql("SELECT max(view_version) FROM " + viewTable).first();
        long servedNow = serving.current().map(ServedView::version).orElse(0L);
        return Math.max(Math.max(recorded, servedNow), written.isNullAt(0) ? 0 : written.getLong(0)) + 1;
    }

    /**
     * Writes and publishes {@code view} (rows as {@link BatchFeatures#VIEW_SCHEMA}).
     *
     * @throws RuntimeException from any step before the switch; the previous view then still serves
     */
    public PublishOutcome publish(Dataset<Row> view, PublishedView published) throws org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
        ViewPublication publication = serving.newPublication(published);
        try {
            publication.requireNewerThanServing();
        } catch (StaleViewException e) {
            writeHistory(view, published);
            record(published, SUPERSEDED);
            return new PublishOutcome(published, PublishOutcome.Status.SUPERSEDED, List.of(), Optional.of(e.getMessage()));
        }
        writeHistory(view, published);
        BatchViewWriter writer = publication.rowWriter();
        long written = view.mapPartitions((MapPartitionsFunction<Row, Long>) rows -> List.of(writer.write(new RowsOfView(rows))).iterator(),
                Encoders.LONG()).collectAsList().stream().mapToLong(Long::longValue).sum();
        publication.rowsWritten(written);
        return commit(publication);
    }

    /** Completes a publication an earlier run recorded: switches if it did not, and sends the message again. */
    public PublishOutcome complete(Recorded recorded) {
        if (SUPERSEDED.equals(recorded.state())) {
            return new PublishOutcome(recorded.view(), PublishOutcome.Status.SUPERSEDED, List.of(),
                    Optional.of("an earlier run found a newer view serving"));
        }
        try {
            return commit(serving.resume(recorded.view()));
        } catch (IncompleteViewException e) {
            return new PublishOutcome(recorded.view(), PublishOutcome.Status.SUPERSEDED, List.of(), Optional.of(e.getMessage()));
        }
    }

    private PublishOutcome commit(ViewPublication publication) {
        PublishedView published = publication.view();
        ViewPublication.Committed committed;
        try {
            committed = publication.commit();
        } catch (StaleViewException e) {
            recordOnce(published, SUPERSEDED);
            return new PublishOutcome(published, PublishOutcome.Status.SUPERSEDED, List.of(), Optional.of(e.getMessage()));
        }
        recordOnce(published, PUBLISHED);
        control.send(new ControlMessage.ViewPublished(published));
        PublishOutcome.Status status = committed.outcome() == ViewPublication.Outcome.SWITCHED
                ? PublishOutcome.Status.SWITCHED : PublishOutcome.Status.ALREADY_SERVING;
        return new PublishOutcome(published, status, committed.retired(), Optional.empty());
    }

    private void writeHistory(Dataset<Row> view, PublishedView published) throws org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
        view.withColumn("view_version", functions.lit(published.viewVersion())).writeTo(viewTable).append();
    }

    private void recordOnce(PublishedView published, String state) {
        boolean recorded = !spark.table(publicationsTable).filter("view_version = " + published.viewVersion() + " AND state = '" + state + "'")
                .isEmpty();
        if (!recorded) {
            record(published, state);
        }
    }

    private void record(PublishedView p, String state) {
        Row row = RowFactory.create(p.viewVersion(), state, p.specFingerprint().hex(), p.snapshot().id(),
                new Timestamp(p.snapshot().committedAt()), p.cut().generation(), p.cut().checkpoint(), new Timestamp(p.cutoff()),
                p.champion().map(ChampionRef::version).orElse(null), p.scoresWithheld().orElse(null), p.entities(),
                new Timestamp(p.publishedAt()), ControlMessageCodec.viewToJson(p));
        try {
            spark.createDataFrame(List.of(row), PUBLICATIONS).writeTo(publicationsTable).append();
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(publicationsTable + " disappeared: " + e.getMessage(), e);
        }
    }

    /** A view's Spark rows as serving's rows, read lazily. */
    private static final class RowsOfView implements java.util.Iterator<BatchViewRow> {
        private final java.util.Iterator<Row> rows;

        RowsOfView(java.util.Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public BatchViewRow next() {
            Row row = rows.next();
            List<Double> vector = row.getList(row.fieldIndex("newest_event_vector"));
            int score = row.fieldIndex("score");
            return new BatchViewRow(row.getString(row.fieldIndex("entity")), (byte[]) row.get(row.fieldIndex("partials")),
                    row.getLong(row.fieldIndex("events")), row.getTimestamp(row.fieldIndex("newest_event_time")).getTime(),
                    vector.stream().mapToDouble(Double::doubleValue).toArray(),
                    row.isNullAt(score) ? Optional.empty() : Optional.of(row.getDouble(score)));
        }
    }
}
