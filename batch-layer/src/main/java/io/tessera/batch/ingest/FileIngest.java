package io.tessera.batch.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.expr.ExpressionEvaluationException;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceFormat;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads a CSV or JSON file into the master dataset: each record decoded by the feature-store (the same
 * decoder the speed layer uses), good ones appended to {@code events} in one commit, bad ones to
 * {@code quarantine} with the reason. The file's SHA-256 is recorded in the snapshot summary, so loading
 * the same file again changes nothing; a run that crashed between the two commits completes the missing one.
 */
public final class FileIngest {

    /** Snapshot summary key holding the SHA-256 of the ingested file. */
    public static final String INGEST_ID = "tessera.ingest-id";
    private static final String REASON = "_quarantine_reason";
    private static final String DETAIL = "_quarantine_detail";

    private final SparkSession spark;
    private final SpecText specText;
    private final PipelineTables tables;

    public FileIngest(SparkSession spark, SpecText specText) {
        this.spark = spark;
        this.specText = specText;
        this.tables = new PipelineTables(spark, specText.spec());
    }

    public IngestSummary ingest(Path file) throws IOException, org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        tables.ensure();
        String ingestId = sha256(file);
        boolean eventsDone = committed(tables.events(), ingestId);
        boolean quarantineDone = committed(tables.quarantine(), ingestId);
        if (eventsDone && quarantineDone) {
            return IngestSummary.alreadyIngested(file, ingestId);
        }

        PipelineSpec spec = specText.spec();
        String headerLine = null;
        if (spec.source().format() == SourceFormat.CSV) {
            try (BufferedReader reader = Files.newBufferedReader(file)) {
                headerLine = reader.readLine();
            }
            if (headerLine == null) {
                throw new IllegalArgumentException(file + " is empty: a CSV file needs a header line");
            }
        }
        StructType decodedSchema = tables.eventSchema()
                .add(DataTypes.createStructField(REASON, DataTypes.StringType, true))
                .add(DataTypes.createStructField(DETAIL, DataTypes.StringType, true));
        Dataset<String> lines = spark.read().textFile(file.toAbsolutePath().toString());
        Dataset<Row> decoded = lines.mapPartitions(
                        new DecodePartition(specText, headerLine, file.getFileName().toString(), System.currentTimeMillis()),
                        ExpressionEncoder.apply(decodedSchema))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> events = decoded.filter(functions.col(REASON).isNull()).drop(REASON, DETAIL);
            Dataset<Row> rejected = decoded.filter(functions.col(REASON).isNotNull()
                    .and(functions.col(REASON).notEqual(DecodePartition.SKIPPED)));
            long eventCount = events.count();
            Map<String, Long> reasons = new java.util.TreeMap<>();
            rejected.groupBy(REASON).count().collectAsList().forEach(row -> reasons.put(row.getString(0), row.getLong(1)));
            long skipped = decoded.filter(functions.col(REASON).equalTo(DecodePartition.SKIPPED)).count();

            if (!quarantineDone) {
                rejected.select(functions.col(PipelineTables.RAW_RECORD), functions.col(REASON).as("reason"),
                                functions.col(DETAIL).as("detail"), functions.col(PipelineTables.INGEST_SOURCE),
                                functions.col(PipelineTables.INGESTED_AT).as("quarantined_at"))
                        .writeTo(tables.quarantine()).option("snapshot-property." + INGEST_ID, ingestId).append();
            }
            if (!eventsDone) {
                events.writeTo(tables.events()).option("snapshot-property." + INGEST_ID, ingestId).append();
            }
            long snapshot = spark.sql("SELECT snapshot_id FROM " + tables.events() + ".snapshots ORDER BY committed_at DESC LIMIT 1")
                    .first().getLong(0);
            return new IngestSummary(file, ingestId, false, eventCount, reasons, skipped, snapshot);
        } finally {
            decoded.unpersist();
        }
    }

    private boolean committed(String table, String ingestId) {
        return !spark.sql("SELECT 1 FROM " + table + ".snapshots WHERE summary['" + INGEST_ID + "'] = '" + ingestId + "' LIMIT 1")
                .isEmpty();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes the lines of one partition into event rows or quarantine rows (REASON set). */
    private static final class DecodePartition implements MapPartitionsFunction<String, Row> {

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
        public Iterator<Row> call(Iterator<String> lines) {
            PipelineSpec spec = specText.spec();
            RecordParser parser = new RecordParser(spec.source().format(),
                    headerLine == null ? List.of() : RecordParser.csvHeader(headerLine));
            // The ingest's start is the time of ingest every record's event time is checked against.
            EventDecoder decoder = EventDecoder.of(spec, Clock.fixed(Instant.ofEpochMilli(ingestedAt), ZoneOffset.UTC));
            FeaturePlan plan = FeaturePlan.of(spec);
            List<Map.Entry<String, FieldType>> fields = new ArrayList<>(spec.source().fields().entrySet());
            Timestamp ingested = new Timestamp(ingestedAt);
            int width = fields.size() + 6;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return lines.hasNext();
                }

                @Override
                public Row next() {
                    String line = lines.next();
                    Object[] values = new Object[width];
                    values[fields.size() + 1] = line;
                    values[fields.size() + 2] = source;
                    values[fields.size() + 3] = ingested;
                    if (line.isBlank() || line.equals(headerLine)) {
                        values[width - 2] = SKIPPED;
                        values[fields.size()] = ingested;
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
                        for (int i = 0; i < fields.size(); i++) {
                            Object value = accepted.event().get(fields.get(i).getKey()); // null: an absent optional field
                            values[i] = value != null && fields.get(i).getValue() == FieldType.INT
                                    ? Integer.valueOf(((Long) value).intValue()) : value;
                        }
                        values[fields.size()] = new Timestamp(accepted.event().time());
                    } else {
                        DecodeResult.Rejected rejected = (DecodeResult.Rejected) result;
                        values[fields.size()] = ingested;
                        values[width - 2] = rejected.reason();
                        values[width - 1] = rejected.detail();
                    }
                    return RowFactory.create(values);
                }
            };
        }
    }
}
