package io.tessera.speed.lake;

import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.lake.LakeColumn;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.featurestore.spec.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A pipeline's lake tables as the speed layer writes them ({@link LakeTables} defines them for every
 * engine): created if missing, with a column added for a field new to the spec, and the speed layer's
 * generations stamped on {@code events} as {@link SnapshotLineage} prescribes.
 */
public final class PipelineLake {

    private final Catalog catalog;
    private final PipelineSpec spec;
    private final Namespace namespace;

    public PipelineLake(Catalog catalog, PipelineSpec spec) {
        this.catalog = catalog;
        this.spec = spec;
        this.namespace = Namespace.of(spec.name());
    }

    public TableIdentifier events() {
        return TableIdentifier.of(namespace, LakeTables.EVENTS);
    }

    public TableIdentifier quarantine() {
        return TableIdentifier.of(namespace, LakeTables.QUARANTINE);
    }

    public TableIdentifier scores() {
        return TableIdentifier.of(namespace, LakeTables.SCORES);
    }

    /**
     * Creates the namespace and the three tables if missing, adds a column for each field new to the spec,
     * and appends the optional columns a newer layout of {@code scores} has (its {@code served}).
     */
    public void ensure() {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
            namespaces.createNamespace(namespace);
        }
        List<LakeColumn> eventColumns = LakeTables.events(spec);
        Schema eventSchema = schema(eventColumns);
        Table table = loadOrCreate(events(), eventSchema, PartitionSpec.builderFor(eventSchema).day(LakeTables.EVENT_TIME).build(),
                Map.of("format-version", "2", "write.distribution-mode", "hash"));
        Table quarantine = loadOrCreate(quarantine(), schema(LakeTables.quarantine()), PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
        Table scores = loadOrCreate(scores(), schema(LakeTables.scores()), PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
        for (Table committedEveryCheckpoint : List.of(table, quarantine, scores)) {
            boundHistory(committedEveryCheckpoint);
        }
        UpdateSchema update = null;
        String previous = null;
        for (LakeColumn column : eventColumns) {
            if (table.schema().findField(column.name()) == null) {
                update = update == null ? table.updateSchema() : update;
                update.addColumn(column.name(), type(column.type()));
                if (previous == null) {
                    update.moveFirst(column.name());
                } else {
                    update.moveAfter(column.name(), previous);
                }
            }
            previous = column.name();
        }
        if (update != null) {
            update.commit();
        }
        UpdateSchema appended = null;
        for (LakeColumn column : LakeTables.scores()) {
            if (scores.schema().findField(column.name()) == null) {
                if (column.required()) {
                    throw new IllegalStateException(scores() + " lacks the required column " + column.name() + ": it was created by another layout");
                }
                appended = appended == null ? scores.updateSchema() : appended;
                appended.addColumn(column.name(), type(column.type()));
            }
        }
        if (appended != null) {
            appended.commit();
        }
    }

    /**
     * What the tables the speed layer commits to at every checkpoint hold besides their own settings: each
     * commit writes the table's metadata anew (about 1 KB per snapshot the table keeps, so some 19 MB a day
     * at 5 s checkpoints until {@code lake maintain} expires snapshots), and Iceberg keeps every earlier
     * metadata file unless told otherwise: the k-th of a day holds k snapshots, some 160 GB a day per table
     * at 5 s checkpoints. With these, each commit removes the metadata files older than the last 100
     * (docs/lake-maintenance.md).
     */
    static final Map<String, String> COMMITTED_EVERY_CHECKPOINT = Map.of(
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");

    /**
     * The snapshot retention {@code lake maintain} applies to these tables unless told otherwise, as Iceberg's
     * own table property (which Spark's {@code expire_snapshots} also honours): an hour of 5 s commits is 720
     * snapshots, under a megabyte in each commit's metadata; the default 7 days would be 130 MB. Set only
     * where the table has none, so that an operator's {@code ALTER TABLE} stays.
     */
    static final Duration SNAPSHOT_RETENTION = Duration.ofHours(1);

    /** Sets {@link #COMMITTED_EVERY_CHECKPOINT} where a table lacks it (a table the batch layer created, or an older one), and {@link #SNAPSHOT_RETENTION}. */
    private static void boundHistory(Table table) {
        UpdateProperties update = table.updateProperties();
        boolean changed = false;
        for (Map.Entry<String, String> property : COMMITTED_EVERY_CHECKPOINT.entrySet()) {
            if (!property.getValue().equals(table.properties().get(property.getKey()))) {
                update.set(property.getKey(), property.getValue());
                changed = true;
            }
        }
        if (!table.properties().containsKey(TableProperties.MAX_SNAPSHOT_AGE_MS)) {
            update.set(TableProperties.MAX_SNAPSHOT_AGE_MS, Long.toString(SNAPSHOT_RETENTION.toMillis()));
            changed = true;
        }
        if (changed) {
            update.commit();
        }
    }

    public Table load(TableIdentifier id) {
        return catalog.loadTable(id);
    }

    /**
     * Starts a new generation ({@link SnapshotLineage}): one above the table's newest, set as the table
     * property and committed as a marker snapshot in one transaction.
     *
     * @return the new generation, and the previous generation's last lineage in the lake (its newest
     *     committed checkpoint), if there was one
     */
    public NewGeneration beginGeneration(EpochBuckets buckets) {
        Table table = catalog.loadTable(events());
        long previous = Long.parseLong(table.properties().getOrDefault(SnapshotLineage.GENERATION, "0"));
        Optional<SnapshotLineage> previousLast = previous == 0 ? Optional.empty() : newestLineage(table, previous);
        long generation = previous + 1;
        Transaction transaction = table.newTransaction();
        transaction.updateProperties().set(SnapshotLineage.GENERATION, Long.toString(generation)).commit();
        AppendFiles marker = transaction.newAppend();
        SnapshotLineage.generationMarker(generation, buckets).forEach(marker::set);
        marker.commit();
        transaction.commitTransaction();
        return new NewGeneration(generation, previousLast);
    }

    /** A generation begun, and where the one before it stopped committing. */
    public record NewGeneration(long generation, Optional<SnapshotLineage> previousLast) {
    }

    /** The newest snapshot of the current branch that {@code generation} committed. */
    private static Optional<SnapshotLineage> newestLineage(Table table, long generation) {
        for (Snapshot snapshot = table.currentSnapshot(); snapshot != null;
                snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
            Optional<SnapshotLineage> lineage = SnapshotLineage.fromSummary(snapshot.snapshotId(), snapshot.summary());
            if (lineage.isPresent() && lineage.get().generation() == generation) {
                return lineage;
            }
        }
        return Optional.empty();
    }

    /** The table, created with this definition if missing: one catalog call when it exists. */
    private Table loadOrCreate(TableIdentifier id, Schema schema, PartitionSpec partitioning, Map<String, String> properties) {
        try {
            return catalog.loadTable(id);
        } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
            try {
                return catalog.createTable(id, schema, partitioning, properties);
            } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
                return catalog.loadTable(id);   // another engine created it meanwhile: the same definition
            }
        }
    }

    private static Schema schema(List<LakeColumn> columns) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (LakeColumn column : columns) {
            int id = fields.size() + 1;
            fields.add(column.required() ? Types.NestedField.required(id, column.name(), type(column.type()))
                    : Types.NestedField.optional(id, column.name(), type(column.type())));
        }
        return new Schema(fields);
    }

    private static Type type(LakeColumn.Type type) {
        return switch (type) {
            case STRING -> Types.StringType.get();
            case INT -> Types.IntegerType.get();
            case LONG -> Types.LongType.get();
            case DOUBLE -> Types.DoubleType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case TIMESTAMP -> Types.TimestampType.withZone();
        };
    }
}
