package io.tessera.batch.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake tables of one pipeline, in namespace {@code lake.<pipeline>}: the master dataset
 * ({@code events}, append-only) and {@code quarantine} (what could not become an event, with the reason).
 * Creating them is idempotent; a field added to the spec is added to {@code events} (older rows read null).
 */
public final class PipelineTables {

    /** Columns the platform adds to every event; spec fields may not use these names. */
    public static final String EVENT_TIME = "event_time";
    public static final String RAW_RECORD = "raw_record";
    public static final String INGEST_SOURCE = "ingest_source";
    public static final String INGESTED_AT = "ingested_at";
    private static final Set<String> RESERVED = Set.of(EVENT_TIME, RAW_RECORD, INGEST_SOURCE, INGESTED_AT);

    private final SparkSession spark;
    private final PipelineSpec spec;

    public PipelineTables(SparkSession spark, PipelineSpec spec) {
        this.spark = spark;
        this.spec = spec;
        List<String> clashes = spec.source().fields().keySet().stream().filter(RESERVED::contains).toList();
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("source.fields: " + clashes + " are reserved by the lake's event table " + RESERVED
                    + "; rename them in the spec");
        }
    }

    public String namespace() {
        return LakeSessions.CATALOG + "." + spec.name();
    }

    public String events() {
        return namespace() + ".events";
    }

    public String quarantine() {
        return namespace() + ".quarantine";
    }

    /** The typed columns of an event row, in spec order, followed by the platform's own columns. */
    public StructType eventSchema() {
        List<StructField> fields = new ArrayList<>();
        spec.source().fields().forEach((name, type) -> fields.add(DataTypes.createStructField(name, sparkType(type), true)));
        fields.add(DataTypes.createStructField(EVENT_TIME, DataTypes.TimestampType, false));
        fields.add(DataTypes.createStructField(RAW_RECORD, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(INGEST_SOURCE, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(INGESTED_AT, DataTypes.TimestampType, false));
        return DataTypes.createStructType(fields);
    }

    public static StructType quarantineSchema() {
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField(RAW_RECORD, DataTypes.StringType, false),
                DataTypes.createStructField("reason", DataTypes.StringType, false),
                DataTypes.createStructField("detail", DataTypes.StringType, false),
                DataTypes.createStructField(INGEST_SOURCE, DataTypes.StringType, false),
                DataTypes.createStructField("quarantined_at", DataTypes.TimestampType, false)));
    }

    /** Creates the namespace and tables if missing and adds columns for fields new to the spec. */
    public void ensure() {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace());
        spark.sql("CREATE TABLE IF NOT EXISTS " + events() + " (" + ddl(eventSchema()) + ") USING iceberg"
                + " PARTITIONED BY (days(" + EVENT_TIME + "))"
                + " TBLPROPERTIES ('format-version'='2', 'write.distribution-mode'='hash')");
        spark.sql("CREATE TABLE IF NOT EXISTS " + quarantine() + " (" + ddl(quarantineSchema()) + ") USING iceberg"
                + " TBLPROPERTIES ('format-version'='2')");
        Set<String> existing = Set.of(spark.table(events()).schema().fieldNames());
        Map<String, FieldType> missing = spec.source().fields().entrySet().stream()
                .filter(field -> !existing.contains(field.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
        missing.forEach((name, type) -> spark.sql("ALTER TABLE " + events() + " ADD COLUMN " + quote(name) + " "
                + sparkType(type).sql() + " " + position(name)));
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

    static DataType sparkType(FieldType type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
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
