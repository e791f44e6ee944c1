package io.tessera.batch.registry;

import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the audit trail {@code lake.<pipeline>.model_changes}: a change of what scores, made by the
 * promotion gate of a retrain or by a person ({@code platform models ...}). Appended, never updated.
 *
 * <p>Layout version {@value #LAYOUT_VERSION}, in the table's property {@code tessera.layout-version}; it
 * changes when a column changes in a way older readers cannot follow (an optional column appended at the
 * end does not change it).
 *
 * @param changedAt when the change was committed
 * @param actor the OS user who ran the command or the retrain ({@code user.name})
 * @param fromVersion the champion before (champion changes, the gate's decisions: the champion the
 *     candidate was compared with) or the challenger before (challenger changes); empty if there was none
 * @param toVersion the champion after, the candidate the gate rejected, or the challenger set; empty when
 *     a challenger is cleared
 * @param reason the person's {@code --reason}, or the gate's
 * @param detail for a challenger set: its mode and share ({@code shadow}, {@code ab 0.1}); empty otherwise
 * @param metrics the holdout metrics of the model of {@code toVersion} as registered (of
 *     {@code fromVersion} for a cleared challenger)
 * @param viewVersion the batch view published with the change (scored by the new champion), or the view
 *     serving when a challenger changed; empty if none
 */
public record ModelChange(Timestamp changedAt, String actor, Action action, Optional<Long> fromVersion, Optional<Long> toVersion,
        String reason, Optional<String> detail, Map<String, Double> metrics, Optional<Long> viewVersion) {

    public static final int LAYOUT_VERSION = 1;

    /** The kinds of change, as the table's {@code action} column spells them (the name in lower case). */
    public enum Action {
        /** A retrain's candidate passed the gate and became the champion. */
        PROMOTED_BY_GATE,
        /** A retrain's candidate failed the gate; the champion stays. */
        REJECTED_BY_GATE,
        /** {@code platform models promote}. */
        PROMOTED,
        /** {@code platform models rollback}. */
        ROLLED_BACK,
        /** {@code platform models challenger set}. */
        CHALLENGER_SET,
        /** {@code platform models challenger clear}, or a promotion of the challenger. */
        CHALLENGER_CLEARED;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }

        /** True for the actions after which {@code toVersion} is the champion. */
        public boolean makesChampion() {
            return this == PROMOTED_BY_GATE || this == PROMOTED || this == ROLLED_BACK;
        }
    }

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("changed_at", DataTypes.TimestampType, false),
            DataTypes.createStructField("actor", DataTypes.StringType, false),
            DataTypes.createStructField("action", DataTypes.StringType, false),
            DataTypes.createStructField("from_version", DataTypes.LongType, true),
            DataTypes.createStructField("to_version", DataTypes.LongType, true),
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("detail", DataTypes.StringType, true),
            DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
            DataTypes.createStructField("view_version", DataTypes.LongType, true)));

    public ModelChange {
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(fromVersion, "fromVersion");
        Objects.requireNonNull(toVersion, "toVersion");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(viewVersion, "viewVersion");
        metrics = Map.copyOf(metrics);
    }

    /** A change made now by this JVM's user. */
    public static ModelChange now(Action action, Optional<Long> fromVersion, Optional<Long> toVersion, String reason, Optional<String> detail,
            Map<String, Double> metrics, Optional<Long> viewVersion) {
        return new ModelChange(new Timestamp(System.currentTimeMillis()), System.getProperty("user.name", "unknown"), action, fromVersion,
                toVersion, reason, detail, metrics, viewVersion);
    }

    Row toRow() {
        return RowFactory.create(changedAt, actor, action.column(), fromVersion.orElse(null), toVersion.orElse(null), reason, detail.orElse(null),
                metrics, viewVersion.orElse(null));
    }

    static ModelChange fromRow(Row row) {
        Map<String, Double> metrics = row.getJavaMap(row.fieldIndex("metrics"));
        return new ModelChange(row.getAs("changed_at"), row.getAs("actor"), Action.of(row.getAs("action")), optional(row, "from_version"),
                optional(row, "to_version"), row.getAs("reason"), Optional.ofNullable(row.getAs("detail")), metrics, optional(row, "view_version"));
    }

    private static Optional<Long> optional(Row row, String column) {
        return row.isNullAt(row.fieldIndex(column)) ? Optional.empty() : Optional.of(row.<Long>getAs(column));
    }

    @Override
    public String toString() {
        return changedAt.toInstant() + "  " + action.column() + "  " + fromVersion.map(v -> "v" + v).orElse("-") + " -> "
                + toVersion.map(v -> "v" + v).orElse("-") + "  by " + actor + ": " + reason + detail.map(d -> " (" + d + ")").orElse("")
                + viewVersion.map(v -> ", view v" + v).orElse("");
    }
}
