package io.tessera.batch.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.lake.PipelineTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The model registry, an Iceberg table {@code lake.<pipeline>.models} that analysts can query through
 * Trino. Registering a champion and retiring the previous one is one MERGE, one commit: readers never see
 * two champions or none. Setting a challenger (status {@code challenger}, its former status kept in
 * {@code previous_status}) and restoring the one it replaces is one MERGE too, and so is replacing the
 * champion by another registered model ({@link #replaceChampion}). Every change is also recorded in the
 * audit trail, {@link #changes()}.
 */
public final class ModelRegistry {

    private static final String PREVIOUS_STATUS = "previous_status";

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("name", DataTypes.StringType, false),
            DataTypes.createStructField("version", DataTypes.LongType, false),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("task", DataTypes.StringType, false),
            DataTypes.createStructField("algorithm", DataTypes.StringType, false),
            DataTypes.createStructField("params", DataTypes.StringType, false),
            DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
            DataTypes.createStructField("training_snapshot_id", DataTypes.LongType, false),
            DataTypes.createStructField("cutoff", DataTypes.TimestampType, false),
            DataTypes.createStructField("artifact_location", DataTypes.StringType, false),
            DataTypes.createStructField("checksum", DataTypes.StringType, false),
            DataTypes.createStructField("gate_reason", DataTypes.StringType, false),
            DataTypes.createStructField("run_key", DataTypes.StringType, false),
            DataTypes.createStructField("created_at", DataTypes.TimestampType, false),
            // added with the challenger: the status a challenger had before, restored when it is cleared or replaced
            DataTypes.createStructField(PREVIOUS_STATUS, DataTypes.StringType, true)));

    private final SparkSession spark;
    private final String table;
    private final ModelChanges changes;

    public ModelRegistry(SparkSession spark, PipelineTables tables) {
        this.spark = spark;
        this.table = tables.namespace() + ".models";
        this.changes = new ModelChanges(spark, tables.namespace());
    }

    /** The audit trail of this registry's changes. */
    public ModelChanges changes() {
        return changes;
    }

    public String table() {
        return table;
    }

    public void ensure() {
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + SCHEMA.toDDL() + ") USING iceberg TBLPROPERTIES ('format-version'='2')");
        if (!java.util.Arrays.asList(spark.table(table).columns()).contains(PREVIOUS_STATUS)) {
            spark.sql("ALTER TABLE " + table + " ADD COLUMN " + PREVIOUS_STATUS + " string");   // a registry from before the challenger
        }
        changes.ensure();
    }

    /** Every registered model, newest version first. */
    public List<RegisteredModel> all() {
        return spark.table(table).orderBy(org.apache.spark.sql.functions.col("version").desc()).collectAsList().stream()
                .map(ModelRegistry::fromRow).toList();
    }

    /** What to say about a version the registry does not hold. */
    public String unknownVersion(long version) {
        long next = nextVersion();
        return table + " has no model version " + version + (next > 1 ? " (versions 1 to " + (next - 1) + ")" : "");
    }

    /** The newest retired model: the champion before the current one when the audit trail does not say. */
    public Optional<RegisteredModel> lastRetired() {
        return first("status = '" + RegisteredModel.RETIRED + "'");
    }

    /**
     * Makes {@code model} the champion and retires the current one, in one MERGE. A challenger promoted
     * so is no longer a challenger (its former status is dropped).
     *
     * @throws ConcurrentPromotionException if another change of the registry committed meanwhile
     */
    public void replaceChampion(RegisteredModel model) {
        List<Row> rows = new java.util.ArrayList<>();
        rows.add(RowFactory.create(model.version(), RegisteredModel.CHAMPION, null));
        spark.table(table).filter("status = '" + RegisteredModel.CHAMPION + "' AND version <> " + model.version()).collectAsList()
                .forEach(champion -> rows.add(RowFactory.create(champion.<Long>getAs("version"), RegisteredModel.RETIRED, null)));
        try {
            merge(rows);
        } catch (RuntimeException e) {
            if (causedByConflict(e)) {
                throw new ConcurrentPromotionException(table + ": another change was committed while v" + model.version()
                        + " was being made the champion; nothing was changed: run the command again", e);
            }
            throw e;
        }
    }

    /**
     * Records the gate's decision on a retrain's candidate in the audit trail, once (a resumed retrain
     * finds it recorded).
     *
     * @param comparedWith the champion the candidate was compared with, if there was one
     * @param view the view the retrain published, if it serves
     */
    public void recordGateDecision(RegisteredModel candidate, Optional<Long> comparedWith, Optional<Long> view) {
        if (!changes.hasGateDecision(candidate.version())) {
            changes.append(ModelChange.now(candidate.isChampion() ? ModelChange.Action.PROMOTED_BY_GATE : ModelChange.Action.REJECTED_BY_GATE,
                    comparedWith, Optional.of(candidate.version()), candidate.gateReason(), Optional.empty(), candidate.metrics(), view));
        }
    }

    public Optional<RegisteredModel> challenger() {
        return first("status = '" + RegisteredModel.CHALLENGER + "'");
    }

    /**
     * Makes {@code version} the challenger and gives the one it replaces its former status back, in one
     * MERGE. Setting the challenger again (another share) keeps its former status.
     */
    public void setChallenger(RegisteredModel model) {
        List<Row> changes = new java.util.ArrayList<>();
        String previous = model.isChallenger() ? previousStatus(model.version()) : model.status();
        changes.add(RowFactory.create(model.version(), RegisteredModel.CHALLENGER, previous));
        spark.table(table).filter("status = '" + RegisteredModel.CHALLENGER + "' AND version <> " + model.version()).collectAsList()
                .forEach(row -> changes.add(restored(row)));
        merge(changes);
    }

    /** Gives the challenger, if there is one, its former status back. */
    public void clearChallenger() {
        List<Row> changes = spark.table(table).filter("status = '" + RegisteredModel.CHALLENGER + "'").collectAsList().stream()
                .map(ModelRegistry::restored).toList();
        if (!changes.isEmpty()) {
            merge(changes);
        }
    }

    private static Row restored(Row challenger) {
        String previous = challenger.getAs(PREVIOUS_STATUS);
        return RowFactory.create(challenger.<Long>getAs("version"), previous == null ? RegisteredModel.REJECTED : previous, null);
    }

    private String previousStatus(long version) {
        Row row = spark.table(table).filter("version = " + version).select(PREVIOUS_STATUS).first();
        return row.isNullAt(0) ? RegisteredModel.REJECTED : row.getString(0);
    }

    /** One MERGE of (version, status, previous_status) rows: one commit, under serializable isolation. */
    private void merge(List<Row> changes) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("version", DataTypes.LongType, false),
                DataTypes.createStructField("status", DataTypes.StringType, false),
                DataTypes.createStructField(PREVIOUS_STATUS, DataTypes.StringType, true)));
        String source = "status_change";
        spark.createDataFrame(changes, schema).createOrReplaceTempView(source);
        try {
            spark.sql("MERGE INTO " + table + " t USING " + source + " s ON t.version = s.version"
                    + " WHEN MATCHED THEN UPDATE SET t.status = s.status, t." + PREVIOUS_STATUS + " = s." + PREVIOUS_STATUS);
        } finally {
            spark.catalog().dropTempView(source);
        }
    }

    public Optional<RegisteredModel> champion() {
        return first("status = '" + RegisteredModel.CHAMPION + "'");
    }

    public Optional<RegisteredModel> byRunKey(String runKey) {
        return first("run_key = '" + runKey.replace("'", "''") + "'");
    }

    public Optional<RegisteredModel> byVersion(long version) {
        return first("version = " + version);
    }

    /**
     * The snapshot of {@code events} each registered model (any status) was trained on, by version: what
     * {@code platform lake maintain} keeps. Empty if the registry does not exist yet.
     */
    public Map<Long, Long> trainingSnapshots() {
        Map<Long, Long> snapshots = new java.util.TreeMap<>();
        if (spark.catalog().tableExists(table)) {
            spark.table(table).select("version", "training_snapshot_id").collectAsList()
                    .forEach(row -> snapshots.put(row.getLong(0), row.getLong(1)));
        }
        return snapshots;
    }

    public long nextVersion() {
        Row row = spark.sql("SELECT max(version) FROM " + table).first();
        return row.isNullAt(0) ? 1 : row.getLong(0) + 1;
    }

    /**
     * Adds a model. A champion retires the current one in the same commit.
     *
     * @throws IllegalStateException if the version is taken (two retrains raced: re-run the loser)
     * @throws ConcurrentPromotionException if another registration committed meanwhile: the MERGE runs
     *     under Iceberg's serializable isolation (the table's default), so of two concurrent promotions
     *     that both read the same champion, the second fails at commit instead of leaving two champions
     */
    public void register(RegisteredModel model) {
        if (byVersion(model.version()).isPresent()) {
            throw new IllegalStateException(table + " already holds version " + model.version());
        }
        Dataset<Row> incoming = spark.createDataFrame(List.of(toRow(model)), SCHEMA);
        if (model.isChampion()) {
            incoming = incoming.unionByName(spark.table(table).filter("status = '" + RegisteredModel.CHAMPION + "'"));
        }
        String source = "incoming_model_" + model.version();
        incoming.createOrReplaceTempView(source);
        try {
            spark.sql("MERGE INTO " + table + " t USING " + source + " s ON t.version = s.version"
                    + " WHEN MATCHED THEN UPDATE SET t.status = '" + RegisteredModel.RETIRED + "'"
                    + " WHEN NOT MATCHED THEN INSERT *");
        } catch (RuntimeException e) {
            if (causedByConflict(e)) {
                throw new ConcurrentPromotionException(table + ": another retrain registered a model while v" + model.version()
                        + " was being registered; nothing of v" + model.version() + " was committed: re-run the retrain", e);
            }
            throw e;
        } finally {
            spark.catalog().dropTempView(source);
        }
    }

    private static boolean causedByConflict(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.apache.iceberg.exceptions.ValidationException
                    || cause instanceof org.apache.iceberg.exceptions.CommitFailedException) {
                return true;
            }
        }
        return false;
    }

    private Optional<RegisteredModel> first(String condition) {
        List<Row> rows = spark.table(table).filter(condition).orderBy(org.apache.spark.sql.functions.col("version").desc()).limit(1).collectAsList();
        return rows.stream().findFirst().map(ModelRegistry::fromRow);
    }

    private static Row toRow(RegisteredModel m) {
        return RowFactory.create(m.name(), m.version(), m.status(), m.task(), m.algorithm(), m.params(),
                m.metrics(), m.trainingSnapshotId(), m.cutoff(), m.artifactLocation(),
                m.checksum(), m.gateReason(), m.runKey(), m.createdAt(), null);
    }

    private static RegisteredModel fromRow(Row row) {
        Map<String, Double> metrics = row.getJavaMap(row.fieldIndex("metrics"));
        return new RegisteredModel(row.getAs("name"), row.<Long>getAs("version"), row.getAs("status"), row.getAs("task"),
                row.getAs("algorithm"), row.getAs("params"), Map.copyOf(metrics), row.<Long>getAs("training_snapshot_id"),
                row.getAs("cutoff"), row.getAs("artifact_location"), row.getAs("checksum"), row.getAs("gate_reason"),
                row.getAs("run_key"), row.getAs("created_at"));
    }
}
