package io.tessera.batch.registry;

import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The audit trail of a pipeline's models, the Iceberg table {@code lake.<pipeline>.model_changes}: one
 * {@link ModelChange} appended per change, each in a commit of its own, after the change it records (a
 * change interrupted before its row is completed by running the command again, which then appends it).
 */
public final class ModelChanges {

    private final SparkSession spark;
    private final String table;

    ModelChanges(SparkSession spark, String namespace) {
        this.spark = spark;
        this.table = namespace + ".model_changes";
    }

    public String table() {
        return table;
    }

    void ensure() {
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + ModelChange.SCHEMA.toDDL() + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2', 'tessera.layout-version'='" + ModelChange.LAYOUT_VERSION + "')");
    }

    public void append(ModelChange change) {
        try {
            spark.createDataFrame(List.of(change.toRow()), ModelChange.SCHEMA).writeTo(table).append();
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(table + " disappeared: " + e.getMessage(), e);
        }
    }

    /** Every change, oldest first. */
    public List<ModelChange> all() {
        return spark.table(table).orderBy("changed_at").collectAsList().stream().map(ModelChange::fromRow).toList();
    }

    /** The changes that concern {@code version} (from or to it), oldest first. */
    public List<ModelChange> of(long version) {
        return spark.table(table).filter("from_version = " + version + " OR to_version = " + version).orderBy("changed_at").collectAsList()
                .stream().map(ModelChange::fromRow).toList();
    }

    /** The newest change that made {@code version} the champion, if the trail has one. */
    public Optional<ModelChange> madeChampion(long version) {
        List<String> actions = java.util.Arrays.stream(ModelChange.Action.values()).filter(ModelChange.Action::makesChampion)
                .map(ModelChange.Action::column).toList();
        return spark.table(table).filter(functions.col("to_version").equalTo(version).and(functions.col("action").isin(actions.toArray())))
                .orderBy(functions.col("changed_at").desc()).limit(1).collectAsList().stream().findFirst().map(ModelChange::fromRow);
    }

    /** Whether the gate's decision on the candidate {@code version} is recorded. */
    boolean hasGateDecision(long version) {
        return !spark.table(table).filter(functions.col("to_version").equalTo(version).and(functions.col("action")
                .isin(ModelChange.Action.PROMOTED_BY_GATE.column(), ModelChange.Action.REJECTED_BY_GATE.column()))).isEmpty();
    }
}
