package io.tessera.batch.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.tessera.featurestore.lake.IngestRecord;
import io.tessera.featurestore.lake.LakeColumn;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake tables of one pipeline as Spark creates them, from their one definition in
 * {@link LakeTables}: the master dataset ({@code events}, append-only), {@code quarantine} (what could
 * not become an event, with the reason) and {@code ingests} (the ingest log). Creating them is idempotent; a field added to the spec is added
 * to {@code events} (older rows read null).
 */
public final class PipelineTables {

    /** Columns the platform adds to every event ({@link LakeTables}). */
    public static final String EVENT_TIME = LakeTables.EVENT_TIME;
    public static final String RAW_RECORD = LakeTables.RAW_RECORD;
    public static final String INGEST_SOURCE = LakeTables.INGEST_SOURCE;
    public static final String INGESTED_AT = LakeTables.INGESTED_AT;

    private final SparkSession spark;
    private final PipelineSpec spec;

    public PipelineTables(SparkSession spark, PipelineSpec spec) {
        this.spark = spark;
        this.spec = spec;
        LakeTables.events(spec);   // rejects spec fields named like the platform's columns
    }

    public String namespace() {
        return LakeSessions.CATALOG + "." + spec.name();
    }

    public String events() {
        return namespace() + "." + LakeTables.EVENTS;
    }

    public String quarantine() {
        return namespace() + "." + LakeTables.QUARANTINE;
    }

    public String ingests() {
        return namespace() + "." + LakeTables.INGESTS;
    }

    /** The typed columns of an event row, in spec order, followed by the platform's own columns. */
    public StructType eventSchema() {
        return structType(LakeTables.events(spec));
    }

    public static StructType quarantineSchema() {
        return structType(LakeTables.quarantine());
    }

    public static StructType ingestsSchema() {
        return structType(LakeTables.ingests());
    }

    private static StructType structType(List<LakeColumn> columns) {
        List<StructField> fields = new ArrayList<>();
        for (LakeColumn column : columns) {
            fields.add(DataTypes.createStructField(column.name(), sparkType(column.type()), !column.required()));
        }
        return DataTypes.createStructType(fields);
    }

    /** Creates the namespace and tables if missing and adds columns for fields new to the spec and for the platform's newer ones. */
    public void ensure() {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace());
        spark.sql("CREATE TABLE IF NOT EXISTS " + events() + " (" + ddl(eventSchema()) + ") USING iceberg"
                + " PARTITIONED BY (days(" + EVENT_TIME + "))"
                + " TBLPROPERTIES ('format-version'='2', 'write.distribution-mode'='hash')");
        spark.sql("CREATE TABLE IF NOT EXISTS " + quarantine() + " (" + ddl(quarantineSchema()) + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2')");
        spark.sql("CREATE TABLE IF NOT EXISTS " + ingests() + " (" + ddl(ingestsSchema()) + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2', '" + IngestRecord.VERSION_PROPERTY + "'='" + IngestRecord.VERSION + "')");
        Set<String> existing = Set.of(spark.table(events()).schema().fieldNames());
        Map<String, FieldType> missing = spec.source().fields().entrySet().stream()
                .filter(field -> !existing.contains(field.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
        missing.forEach((name, type) -> spark.sql("ALTER TABLE " + events() + " ADD COLUMN " + quote(name) + " "
                + sparkType(LakeTables.type(type)).sql() + " " + position(name)));
        // the platform's optional columns of a table made before them go last (older rows read null)
        LakeTables.events(spec).stream().filter(column -> !column.required() && LakeTables.RESERVED.contains(column.name())
                        && !existing.contains(column.name()))
                .forEach(column -> spark.sql("ALTER TABLE " + events() + " ADD COLUMN " + quote(column.name()) + " "
                        + sparkType(column.type()).sql()));
    }

    /** Keeps the table's columns in spec order: a new field goes after the field before it in the spec. */
    private String position(String name) {
        String previous = null;
        for (String field : spec.source().fields().keySet()) {
            if (field.equals(name)) {
                break;
            }
            previous = field;
        }
        return previous == null ? "FIRST" : "AFTER " + quote(previous);
    }

    static DataType sparkType(LakeColumn.Type type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
        };
    }

    private static String ddl(StructType schema) {
        return java.util.Arrays.stream(schema.fields())
                .map(field -> quote(field.name()) + " " + field.dataType().sql() + (field.nullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", "));
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
