package io.tessera.batch.ingest;

import io.tessera.batch.lake.PipelineTables;
import io.tessera.featurestore.spec.PipelineSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Deduplication of a file's events by the spec's {@code source.id}: an event is a duplicate when its
 * (entity key, id) is in the lake already, or on an earlier line of the same file (the first line wins,
 * so two runs keep the same one). The key is part of the identity as in the speed layer, which
 * remembers ids per key; the batch's horizon is the whole lake, the speed layer's is {@code max_lateness}.
 *
 * <p>How: an anti-join against the {@code events} of the snapshot the ingest read, restricted to the
 * event-time range of the file's events. The restriction is what keeps the cost proportional to the days
 * the file covers, not to the lake: the table is partitioned by day of event time, so Iceberg reads only
 * those days' files (and only the key and id columns of them). It relies on a re-send carrying the event
 * time it was first sent with (a re-send, not a correction). Not {@code MERGE INTO ... WHEN NOT MATCHED
 * INSERT}: Spark rewrites an insert-only MERGE into a plain append with no commit-time validation, and
 * the ingest needs its own validated commit ({@link IngestCommit}), whose conflict filter is the same
 * event-time range, so that two overlapping files ingested at once cannot both append an id.
 */
final class EventIds {

    private static final String RANK = "_first_in_file";

    private final SparkSession spark;
    private final String key;
    private final String id;
    private final String table;

    EventIds(SparkSession spark, PipelineSpec spec, String table) {
        this.spark = spark;
        this.key = spec.entity().key();
        this.id = spec.source().id().orElseThrow(() -> new IllegalArgumentException(spec.name() + " has no source.id"));
        this.table = table;
    }

    /**
     * The events of {@code incoming} (with the {@code line} column) whose (key, id) neither an earlier line
     * nor the table's snapshot {@code base} holds.
     *
     * @param base the snapshot to look in; null when the table had none
     */
    Dataset<Row> absentFrom(Dataset<Row> incoming, Long base, String line) {
        Dataset<Row> firstInFile = incoming
                .withColumn(RANK, functions.row_number().over(Window.partitionBy(key, id).orderBy(functions.col(line))))
                .filter(functions.col(RANK).equalTo(1))
                .drop(RANK);
        if (base == null) {
            return firstInFile;
        }
        Row range = incoming.agg(functions.min(PipelineTables.EVENT_TIME), functions.max(PipelineTables.EVENT_TIME)).first();
        if (range.isNullAt(0)) {
            return firstInFile;
        }
        Column inRange = functions.col(PipelineTables.EVENT_TIME).between(range.getTimestamp(0), range.getTimestamp(1));
        Dataset<Row> existing = spark.sql("SELECT * FROM " + table + " VERSION AS OF " + base)
                .filter(inRange)
                .select(key, id);
        return firstInFile.join(existing, scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(key, id)).toSeq(), "left_anti");
    }
}
