package io.tessera.featurestore.lake;

import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The lake tables of one pipeline, defined once for every engine that writes or reads them (the batch
 * layer's Spark jobs, the speed layer's Flink sinks, Trino): namespace {@code lake.<pipeline>}, table
 * names, and columns in order. Engines map {@link LakeColumn.Type} to their own types and never spell a
 * column name of their own.
 *
 * <ul>
 *   <li>{@code events}: the master dataset, append-only, partitioned by day of {@link #EVENT_TIME}: the
 *       spec's fields in spec order (nullable: a field added later reads null in older rows), then the
 *       platform's columns, the last two the speed layer's generation and epoch of the event (null for a
 *       file ingest's rows), which tell a batch view the events its cut leaves to the realtime rows
 *       ({@code ServingCut#holds});</li>
 *   <li>{@code quarantine}: what could not become an event, with the reason (a {@link QuarantinedRecord});</li>
 *   <li>{@code scores}: every score the speed layer computed, with its provenance (a {@link ScoreRecord}):
 *       the champion's and, beside it, a challenger's, each with its role and whether it was served;</li>
 *   <li>{@code ingests}: the ingest log, one row per file ingested (an {@link IngestRecord}), what keeps
 *       an ingest idempotent after its snapshots expire.</li>
 * </ul>
 * {@link #VERSION} changes when a layout changes in a way older readers cannot follow. Optional columns
 * appended at the end (such as {@code scores.served}) do not change it: writers add them to an existing
 * table, and rows written before read null.
 */
public final class LakeTables {

    public static final int VERSION = 1;

    public static final String EVENTS = "events";
    public static final String QUARANTINE = "quarantine";
    public static final String SCORES = "scores";
    public static final String INGESTS = "ingests";

    /** Columns the platform adds to every event; spec fields may not use these names. */
    public static final String EVENT_TIME = "event_time";
    public static final String RAW_RECORD = "raw_record";
    public static final String INGEST_SOURCE = "ingest_source";
    public static final String INGESTED_AT = "ingested_at";
    /** The speed-layer generation and epoch that appended the event (optional: null for a file ingest's rows). */
    public static final String SPEED_GENERATION = "speed_generation";
    public static final String SPEED_EPOCH = "speed_epoch";
    public static final Set<String> RESERVED = Set.of(EVENT_TIME, RAW_RECORD, INGEST_SOURCE, INGESTED_AT, SPEED_GENERATION, SPEED_EPOCH);

    private LakeTables() {
    }

    /**
     * The typed columns of an event row, in spec order, followed by the platform's own columns.
     *
     * @throws IllegalArgumentException if a spec field uses a reserved name
     */
    public static List<LakeColumn> events(PipelineSpec spec) {
        List<String> clashes = spec.source().fields().keySet().stream().filter(RESERVED::contains).toList();
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("source.fields: " + clashes + " are reserved by the lake's event table " + RESERVED
                    + "; rename them in the spec");
        }
        List<LakeColumn> columns = new ArrayList<>();
        spec.source().fields().forEach((name, type) -> columns.add(LakeColumn.optional(name, type(type))));
        columns.add(LakeColumn.required(EVENT_TIME, LakeColumn.Type.TIMESTAMP));
        columns.add(LakeColumn.required(RAW_RECORD, LakeColumn.Type.STRING));
        columns.add(LakeColumn.required(INGEST_SOURCE, LakeColumn.Type.STRING));
        columns.add(LakeColumn.required(INGESTED_AT, LakeColumn.Type.TIMESTAMP));
        columns.add(LakeColumn.optional(SPEED_GENERATION, LakeColumn.Type.LONG));
        columns.add(LakeColumn.optional(SPEED_EPOCH, LakeColumn.Type.LONG));
        return List.copyOf(columns);
    }

    /** The columns of {@code quarantine}, in the order of {@link QuarantinedRecord}'s components. */
    public static List<LakeColumn> quarantine() {
        return QuarantinedRecord.COLUMNS;
    }

    /** The columns of {@code scores}, in the order of {@link ScoreRecord}'s components. */
    public static List<LakeColumn> scores() {
        return ScoreRecord.COLUMNS;
    }

    /** The platform's own tables, beside the pipelines' namespaces (a pipeline may not be named so). */
    public static final String PLATFORM_NAMESPACE = "platform";
    public static final String JOB_RUNS = "job_runs";

    /** The columns of {@code lake.platform.job_runs}, in the order of {@link JobRun}'s components. */
    public static List<LakeColumn> jobRuns() {
        return JobRun.COLUMNS;
    }

    /** The columns of {@code ingests}, in the order of {@link IngestRecord}'s components. */
    public static List<LakeColumn> ingests() {
        return IngestRecord.COLUMNS;
    }

    public static LakeColumn.Type type(FieldType type) {
        return switch (type) {
            case STRING -> LakeColumn.Type.STRING;
            case INT -> LakeColumn.Type.INT;
            case LONG -> LakeColumn.Type.LONG;
            case DOUBLE -> LakeColumn.Type.DOUBLE;
            case BOOLEAN -> LakeColumn.Type.BOOLEAN;
        };
    }
}
