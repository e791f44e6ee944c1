package io.tessera.batch.retrain;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.train.ModelTrainer;
import io.tessera.featurestore.spec.PipelineSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;

/**
 * {@code lake.<pipeline>.training_set}: the rows a retrain of a lake snapshot S and a cutoff T trains
 * on, by the run's key, each written once. A retrain writes its own; a backfill with training sets
 * writes those of past cutoffs under the key a retrain of the same (S, T) would use, so that retrain
 * trains on them instead of computing them again.
 */
public final class TrainingSets {

    public static final String TABLE = "training_set";

    private final SparkSession spark;
    private final String table;
    private final BatchFeatures features;

    public TrainingSets(SparkSession spark, PipelineTables tables, BatchFeatures features) {
        this.spark = spark;
        this.table = tables.namespace() + "." + TABLE;
        this.features = features;
    }

    /**
     * A run's key: the spec's fingerprint (not its text: an edited comment is the same spec), the
     * snapshot and the cutoff. The registry finds a run's model by it, and this table its training set.
     */
    public static String runKey(PipelineSpec spec, long snapshotId, long cutoff) {
        return spec.fingerprint().shortHex() + "-" + snapshotId + "-" + cutoff;
    }

    public String table() {
        return table;
    }

    public void ensure() {
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + BatchFeatures.TRAINING_SCHEMA.toDDL()
                + ", snapshot_id BIGINT NOT NULL, cutoff TIMESTAMP NOT NULL, run_key STRING NOT NULL) USING iceberg"
                + " PARTITIONED BY (run_key) TBLPROPERTIES ('format-version'='2')");
    }

    public boolean has(String runKey) {
        return !stored(runKey).isEmpty();
    }

    /**
     * Writes the training set of a run from {@code training} (the snapshot's events before the cutoff).
     * A run key has one training set: the caller writes only when {@link #has} says there is none.
     */
    public void write(Dataset<Row> training, Map<String, List<String>> vocabularies, long snapshotId, long cutoff, String runKey) {
        try {
            features.trainingSet(training, vocabularies)
                    .withColumn("snapshot_id", functions.lit(snapshotId))
                    .withColumn("cutoff", functions.lit(new Timestamp(cutoff)))
                    .withColumn("run_key", functions.lit(runKey))
                    .writeTo(table).append();
        } catch (NoSuchTableException e) {
            throw new IllegalStateException(table + " vanished while a training set was written", e);
        }
    }

    /** A run's training set as the trainer reads it: features, label, event time. */
    public Dataset<Row> read(String runKey) {
        return stored(runKey).select(ModelTrainer.FEATURES, ModelTrainer.LABEL, ModelTrainer.EVENT_TIME);
    }

    private Dataset<Row> stored(String runKey) {
        return spark.table(table).filter(functions.col("run_key").equalTo(runKey));
    }
}
