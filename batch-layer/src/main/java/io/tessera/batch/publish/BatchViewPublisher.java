package io.tessera.batch.publish;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.PipelineTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes a batch view safely (DESIGN.md, contract 5). In order: the view's rows into the lake's
 * history ({@code batch_view}, by version) and into Cassandra, both invisible to readers; then the
 * {@code publications} row in the lake and the one-row switch in Cassandra; then the control message.
 * A failure before the switch leaves the previous view serving; a re-run finds a publication recorded in
 * the lake and completes the switch and the message, so every step is safe to repeat.
 */
public final class BatchViewPublisher {

    static final StructType PUBLICATIONS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("view_version", DataTypes.LongType, false),
            DataTypes.createStructField("snapshot_id", DataTypes.LongType, false),
            DataTypes.createStructField("snapshot_committed_at", DataTypes.TimestampType, false),
            DataTypes.createStructField("flink_checkpoint", DataTypes.LongType, true),
            DataTypes.createStructField("cutoff", DataTypes.TimestampType, false),
            DataTypes.createStructField("model_version", DataTypes.LongType, true),
            DataTypes.createStructField("model_artifact", DataTypes.StringType, true),
            DataTypes.createStructField("model_checksum", DataTypes.StringType, true),
            DataTypes.createStructField("feature_names", DataTypes.createArrayType(DataTypes.StringType, false), false),
            DataTypes.createStructField("entities", DataTypes.LongType, false),
            DataTypes.createStructField("published_at", DataTypes.TimestampType, false)));

    private final SparkSession spark;
    private final String viewTable;
    private final String publicationsTable;
    private final String viewName;
    private final CassandraViews cassandra;
    private final ControlChannel control;

    public BatchViewPublisher(SparkSession spark, PipelineTables tables, String viewName, CassandraViews cassandra, ControlChannel control) {
        this.spark = spark;
        this.viewTable = tables.namespace() + ".batch_view";
        this.publicationsTable = tables.namespace() + ".publications";
        this.viewName = viewName;
        this.cassandra = cassandra;
        this.control = control;
    }

    public void ensure() {
        StructType viewSchema = BatchFeatures.VIEW_SCHEMA.add("view_version", DataTypes.LongType, false);
        spark.sql("CREATE TABLE IF NOT EXISTS " + viewTable + " (" + viewSchema.toDDL() + ") USING iceberg"
                + " PARTITIONED BY (view_version) TBLPROPERTIES ('format-version'='2')");
        spark.sql("CREATE TABLE IF NOT EXISTS " + publicationsTable + " (" + PUBLICATIONS.toDDL() + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2')");
        cassandra.ensureSchema();
    }

    /** The publication of this snapshot, cutoff and champion, if a previous run recorded it. */
    public Optional<Publication> find(String pipeline, long snapshotId, long cutoff, Optional<Long> modelVersion) {
        String modelCondition = modelVersion.map(v -> "model_version = " + v).orElse("model_version IS NULL");
        List<Row> rows = spark.table(publicationsTable)
                .filter("snapshot_id = " + snapshotId + " AND cutoff = timestamp_millis(" + cutoff + ") AND " + modelCondition)
                .collectAsList();
        return rows.stream().findFirst().map(row -> fromRow(pipeline, row));
    }

    public long nextViewVersion() {
        Row row = spark.sql("SELECT max(view_version) FROM " + publicationsTable).first();
        long published = row.isNullAt(0) ? 0 : row.getLong(0);
        Row written = spark.sql("SELECT max(view_version) FROM " + viewTable).first();
        return Math.max(published, written.isNullAt(0) ? 0 : written.getLong(0)) + 1;
    }

    /**
     * Writes and publishes {@code view} (rows as {@link BatchFeatures#VIEW_SCHEMA}) as {@code publication}.
     *
     * @throws RuntimeException from any step; the previous view then still serves
     */
    public void publish(Dataset<Row> view, Publication publication) throws org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
        view.withColumn("view_version", functions.lit(publication.viewVersion()))
                .writeTo(viewTable).append();
        cassandra.write(view, publication.viewVersion(), publication.modelVersion().orElse(null));
        spark.createDataFrame(List.of(toRow(publication)), PUBLICATIONS).writeTo(publicationsTable).append();
        complete(publication);
    }

    /** The steps after the lake records a publication: the switch and the message. Idempotent. */
    public void complete(Publication publication) {
        if (cassandra.currentVersion(viewName).orElse(-1L) != publication.viewVersion()) {
            cassandra.switchTo(viewName, publication);
        }
        control.send(publication);
    }

    private static Row toRow(Publication p) {
        return RowFactory.create(p.viewVersion(), p.snapshotId(), new Timestamp(p.snapshotCommittedAt()), p.flinkCheckpoint().orElse(null),
                new Timestamp(p.cutoff()), p.modelVersion().orElse(null), p.modelArtifact().orElse(null), p.modelChecksum().orElse(null),
                p.featureNames().toArray(String[]::new), p.entities(), new Timestamp(p.publishedAt()));
    }

    private static Publication fromRow(String pipeline, Row row) {
        return new Publication(pipeline, row.getLong(0), row.getLong(1), row.getTimestamp(2).getTime(),
                Optional.ofNullable(row.isNullAt(3) ? null : row.getLong(3)), row.getTimestamp(4).getTime(),
                Optional.ofNullable(row.isNullAt(5) ? null : row.getLong(5)), Optional.ofNullable(row.getString(6)),
                Optional.ofNullable(row.getString(7)), row.getList(8), row.getLong(9), row.getTimestamp(10).getTime());
    }
}
