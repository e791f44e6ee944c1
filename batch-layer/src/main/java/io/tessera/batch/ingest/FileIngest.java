package io.tessera.batch.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.lake.IngestRecord;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceFormat;
import io.tessera.featurestore.tile.FeaturePlan;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads a CSV or JSON file into the master dataset: each line decoded by the feature-store (the same
 * decoder the speed layer uses), good ones appended to {@code events}, bad ones to {@code quarantine}
 * with the reason, each table in one commit that carries the file's SHA-256 ({@link IngestCommit}); then
 * the file's row in the ingest log ({@link IngestLog}), which keeps it idempotent once those commits'
 * snapshots have expired.
 *
 * <ul>
 *   <li>Idempotent: loading the same file again changes nothing, and of two concurrent ingests of the
 *       same file exactly one commits (Iceberg validates at commit time); a run that crashed between the
 *       two commits completes the missing one. The ingest log makes it so for as long as the lake
 *       lives: a file whose snapshots {@code platform lake maintain} expired is still in.</li>
 *   <li>With {@code source.id}, deduplicated: an event whose (entity key, id) the lake holds already, or
 *       an earlier line of the same file holds, is counted as a duplicate and not appended.</li>
 *   <li>Lines are read as bytes with their line number and byte offset: one that is not valid UTF-8 is
 *       quarantined with reason {@code encoding}; a quarantine detail says the line.</li>
 * </ul>
 */
public final class FileIngest {

    /** Snapshot summary key holding the SHA-256 of the ingested file. */
    public static final String INGEST_ID = IngestCommit.MARKER;
    /** Attempts of an ingest that another writer's overlapping commit forced to read again. */
    static final int ATTEMPTS = 3;

    private static final String LINE = "_line";
    private static final String REASON = "_quarantine_reason";
    private static final String DETAIL = "_quarantine_detail";

    private final SparkSession spark;
    private final SpecText specText;
    private final PipelineTables tables;
    private final IngestLog log;
    private final Clock clock;
    private final Runnable beforeCommit;

    public FileIngest(SparkSession spark, SpecText specText) {
        this(spark, specText, Clock.systemUTC(), () -> { });
    }

    /**
     * @param clock the time of ingest, against which event times are checked for plausibility
     * @param beforeCommit run by each attempt once it has read and decoded, before its first commit (tests
     *     hold two ingests there to make them truly concurrent)
     */
    FileIngest(SparkSession spark, SpecText specText, Clock clock, Runnable beforeCommit) {
        this.spark = spark;
        this.specText = specText;
        this.tables = new PipelineTables(spark, specText.spec());
        this.log = new IngestLog(spark, tables);
        this.clock = clock;
        this.beforeCommit = beforeCommit;
    }

    /**
     * @throws UnreadableFileException if the file is missing, not text, or a CSV file without a header: nothing written
     * @throws ConcurrentIngestException if other writers kept committing into the file's event-time range
     *     ({@value #ATTEMPTS} attempts): nothing written
     */
    public IngestSummary ingest(Path file) throws IOException {
        PipelineSpec spec = specText.spec();
        IngestFile checked = IngestFile.check(file, spec.source().format() == SourceFormat.CSV);
        tables.ensure();
        for (int attempt = 1; ; attempt++) {
            try {
                IngestSummary summary = attempt(checked);
                log.record(checked.sha256());   // also repairs the row a run that stopped after its events commit did not write
                return summary;
            } catch (ConcurrentIngestException e) {
                if (attempt == ATTEMPTS) {
                    throw new ConcurrentIngestException(file + ": " + ATTEMPTS + " attempts, each overtaken by another writer; last: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private IngestSummary attempt(IngestFile file) {
        Optional<IngestRecord> logged = log.find(file.sha256());
        if (logged.isPresent()) {
            return IngestSummary.alreadyIngested(file.path(), file.sha256(), "the ingest log has it (events snapshot "
                    + logged.get().snapshotId() + ")");
        }
        Table events = LakeSnapshot.load(spark, tables.events());
        Table quarantine = LakeSnapshot.load(spark, tables.quarantine());
        events.refresh();
        quarantine.refresh();
        boolean eventsDone = IngestCommit.isIn(events, file.sha256());
        boolean quarantineDone = IngestCommit.isIn(quarantine, file.sha256());
        if (eventsDone && quarantineDone) {
            return IngestSummary.alreadyIngested(file.path(), file.sha256(), "an earlier ingest committed it");
        }
        Long eventsBase = snapshotId(events);
        Long quarantineBase = snapshotId(quarantine);

        String source = file.path().getFileName().toString();
        long ingestedAt = clock.millis();
        Dataset<Row> decoded = decode(file, source, ingestedAt).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> accepted = decoded.filter(functions.col(REASON).isNull()).drop(REASON, DETAIL);
        Optional<String> idField = spec().source().id();
        Dataset<Row> fresh = (idField.isPresent() ? new EventIds(spark, spec(), tables.events()).absentFrom(accepted, eventsBase, LINE)
                : accepted).drop(LINE).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> rejected = decoded.filter(functions.col(REASON).isNotNull()
                    .and(functions.col(REASON).notEqual(DecodePartition.SKIPPED)));
            long linesRead = decoded.count();
            long acceptedCount = accepted.count();
            Map<String, Long> reasons = new java.util.TreeMap<>();
            rejected.groupBy(REASON).count().collectAsList().forEach(row -> reasons.put(row.getString(0), row.getLong(1)));
            long skipped = decoded.filter(functions.col(REASON).equalTo(DecodePartition.SKIPPED)).count();
            long quarantinedCount = reasons.values().stream().mapToLong(Long::longValue).sum();
            long freshCount = eventsDone ? 0 : fresh.count();
            beforeCommit.run();

            // Of two concurrent ingests of the file, the one that loses its first commit with rows stops there: the
            // winner commits the other table too, so one ingest does the whole file (a crashed winner is completed
            // by a re-run). A commit without rows (only the marker) decides nothing: the next one does.
            List<String> notes = new ArrayList<>();
            if (quarantineDone) {
                notes.add("its quarantined records were in already (committed by an earlier attempt or run that stopped between the two commits)");
            } else {
                Dataset<Row> rows = rejected.select(functions.col(PipelineTables.RAW_RECORD), functions.col(REASON).as("reason"),
                        functions.col(DETAIL).as("detail"), functions.col(PipelineTables.INGEST_SOURCE),
                        functions.col(PipelineTables.INGESTED_AT).as("quarantined_at"));
                try {
                    new IngestCommit(quarantine, tables.quarantine(), file.sha256()).validatingFrom(quarantineBase)
                            .conflictingWith(Expressions.equal(PipelineTables.INGEST_SOURCE, source))
                            .commit(rows, quarantinedCount);
                } catch (IngestCommit.AlreadyIngestedException e) {
                    return IngestSummary.alreadyIngested(file.path(), file.sha256(), "a concurrent ingest of the same file committed it first");
                }
            }

            long snapshot = -1;
            long appended = 0;
            long duplicates = 0;
            if (eventsDone) {
                notes.add("its events were in already (committed by an earlier attempt or run that stopped between the two commits)");
            } else {
                try {
                    snapshot = new IngestCommit(events, tables.events(), file.sha256()).validatingFrom(eventsBase)
                            .conflictingWith(eventTimeRange(fresh, freshCount))
                            .describedBy(IngestLog.summary(source, acceptedCount - freshCount, quarantinedCount))
                            .commit(fresh, freshCount);
                    appended = freshCount;
                    duplicates = acceptedCount - freshCount;
                } catch (IngestCommit.AlreadyIngestedException e) {
                    if (quarantineDone || quarantinedCount == 0) {
                        return IngestSummary.alreadyIngested(file.path(), file.sha256(), "a concurrent ingest of the same file committed it first");
                    }
                    // only when this ingest's quarantine commit won and a re-run completing a crashed one took the events
                    notes.add("its events were committed by a concurrent ingest of the same file");
                }
            }
            return new IngestSummary(file.path(), file.sha256(), false, String.join("; ", notes), linesRead,
                    appended, idField, duplicates, reasons, skipped, snapshot);
        } finally {
            fresh.unpersist();
            decoded.unpersist();
        }
    }

    private PipelineSpec spec() {
        return specText.spec();
    }

    private static Long snapshotId(Table table) {
        Snapshot current = table.currentSnapshot();
        return current == null ? null : current.snapshotId();
    }

    /**
     * The rows a concurrent commit must not have added for this ingest's deduplication to hold: any in the
     * event-time range of the events it appends (the same range its lookup of existing ids read).
     */
    private static org.apache.iceberg.expressions.Expression eventTimeRange(Dataset<Row> events, long count) {
        if (count == 0) {
            return Expressions.alwaysFalse();
        }
        Row range = events.agg(functions.min(PipelineTables.EVENT_TIME), functions.max(PipelineTables.EVENT_TIME)).first();
        return Expressions.and(
                Expressions.greaterThanOrEqual(PipelineTables.EVENT_TIME, micros(range.getTimestamp(0))),
                Expressions.lessThanOrEqual(PipelineTables.EVENT_TIME, micros(range.getTimestamp(1))));
    }

    private static long micros(Timestamp time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
    }

    /** The file's lines as event rows or quarantine rows (REASON set), each with its line number. */
    private Dataset<Row> decode(IngestFile file, String source, long ingestedAt) {
        StructType decodedSchema = tables.eventSchema()
                .add(DataTypes.createStructField(LINE, DataTypes.LongType, false))
                .add(DataTypes.createStructField(REASON, DataTypes.StringType, true))
                .add(DataTypes.createStructField(DETAIL, DataTypes.StringType, true));
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Lines as bytes with their byte offset (Hadoop's text input, as Spark's text source reads them, but
        // without decoding), then numbered: Spark's text source would repair invalid UTF-8 silently.
        JavaRDD<Row> lines = context.hadoopFile(file.path().toAbsolutePath().toUri().toString(), TextInputFormat.class,
                        LongWritable.class, Text.class)
                .map(pair -> RowFactory.create(pair._1().get(), pair._2().copyBytes()))   // Hadoop reuses its Text: copy
                .zipWithIndex()
                .map(numbered -> RowFactory.create(numbered._2() + 1, numbered._1().getLong(0), numbered._1().get(1)));
        JavaRDD<Row> rows = lines.mapPartitions(new DecodePartition(specText, file.csvHeader().orElse(null), source, ingestedAt));
        return spark.createDataFrame(rows, decodedSchema);
    }

    /** Decodes numbered lines (line, byte offset, bytes) into event rows or quarantine rows (REASON set). */
    private static final class DecodePartition implements FlatMapFunction<Iterator<Row>, Row> {

        /** The header line and blank lines: counted, not quarantined. */
        static final String SKIPPED = "_skipped";

        private final SpecText specText;
        private final String headerLine;
        private final String source;
        private final long ingestedAt;

        /** @param headerLine the file's first line for CSV (its column names), null for JSON */
        DecodePartition(SpecText specText, String headerLine, String source, long ingestedAt) {
            this.specText = specText;
            this.headerLine = headerLine;
            this.source = source;
            this.ingestedAt = ingestedAt;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> lines) {
            PipelineSpec spec = specText.spec();
            RecordParser parser = new RecordParser(spec.source().format(),
                    headerLine == null ? List.of() : RecordParser.csvHeader(headerLine));
            // The ingest's start is the time of ingest every record's event time is checked against.
            EventDecoder decoder = EventDecoder.of(spec, Clock.fixed(Instant.ofEpochMilli(ingestedAt), ZoneOffset.UTC));
            FeaturePlan plan = FeaturePlan.of(spec);
            Utf8 utf8 = new Utf8();
            List<Map.Entry<String, FieldType>> fields = new ArrayList<>(spec.source().fields().entrySet());
            Timestamp ingested = new Timestamp(ingestedAt);
            int n = fields.size();
            // the event's columns (spec fields, then the platform's, the speed layer's two left null), then line, reason, detail
            int lineAt = LakeTables.events(spec).size();
            int reasonAt = lineAt + 1;
            int detailAt = lineAt + 2;
            int width = lineAt + 3;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return lines.hasNext();
                }

                @Override
                public Row next() {
                    Row numbered = lines.next();
                    long lineNumber = numbered.getLong(0);
                    byte[] bytes = (byte[]) numbered.get(2);
                    String line = utf8.decode(bytes);
                    Object[] values = new Object[width];
                    values[n + 1] = line != null ? line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    values[n + 2] = source;
                    values[n + 3] = ingested;
                    values[lineAt] = lineNumber;
                    if (line == null) {
                        values[n] = ingested;
                        values[reasonAt] = DecodeResult.ENCODING;
                        values[detailAt] = "line " + lineNumber + ", byte offset " + (numbered.getLong(1) + Utf8.firstInvalidByte(bytes))
                                + ": not valid UTF-8 (the raw record shows the bad bytes as U+FFFD)";
                        return RowFactory.create(values);
                    }
                    if (line.isBlank() || (lineNumber == 1 && headerLine != null) || line.equals(headerLine)) {
                        values[n] = ingested;
                        values[reasonAt] = SKIPPED;
                        return RowFactory.create(values);
                    }
                    DecodeResult result;
                    try {
                        result = decoder.decode(parser.parse(line));
                    } catch (RecordParser.MalformedRecordException e) {
                        result = new DecodeResult.Rejected(RecordParser.MALFORMED, e.getMessage());
                    }
                    result = plan.checked(result);
                    if (result instanceof DecodeResult.Accepted accepted) {
                        for (int i = 0; i < n; i++) {
                            Object value = accepted.event().get(fields.get(i).getKey()); // null: an absent optional field
                            values[i] = value != null && fields.get(i).getValue() == FieldType.INT
                                    ? Integer.valueOf(((Long) value).intValue()) : value;
                        }
                        values[n] = new Timestamp(accepted.event().time());
                    } else {
                        DecodeResult.Rejected rejected = (DecodeResult.Rejected) result;
                        values[n] = ingested;
                        values[reasonAt] = rejected.reason();
                        values[detailAt] = "line " + lineNumber + ": " + rejected.detail();
                    }
                    return RowFactory.create(values);
                }
            };
        }
    }
}
