package io.tessera.jobs.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import io.tessera.featurestore.lake.JobRun;
import io.tessera.featurestore.lake.LakeColumn;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.jobs.lake.LakeCatalog;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The history of job runs in the lake ({@code lake.platform.job_runs}, a {@link JobRun} per row), through
 * Iceberg's Java API and the REST catalog, so that the scheduler needs no engine. Append-only: each
 * {@link #record} is one commit of one small Avro file (a handful a night); a run's state is its newest
 * record. Trino reads the table as {@code lake.platform.job_runs}.
 */
public final class JobRunLog implements AutoCloseable {

    /** Where the platform keeps it; tests use a namespace of their own. */
    public static final TableIdentifier TABLE = TableIdentifier.of(LakeTables.PLATFORM_NAMESPACE, LakeTables.JOB_RUNS);

    private static final List<LakeColumn> COLUMNS = LakeTables.jobRuns();
    private static final Schema SCHEMA = schema();

    private final RESTCatalog catalog;
    private final Table table;

    private JobRunLog(RESTCatalog catalog, Table table) {
        this.catalog = catalog;
        this.table = table;
    }

    /** Opens the table {@code id} of the catalog at {@code catalogUri}, creating it (and its namespace) if missing. */
    public static JobRunLog open(String catalogUri, TableIdentifier id) {
        RESTCatalog catalog = LakeCatalog.open(catalogUri);
        try {
            Namespace namespace = id.namespace();
            if (!catalog.namespaceExists(namespace)) {
                try {
                    catalog.createNamespace(namespace);
                } catch (AlreadyExistsException e) {
                    // another process created it meanwhile
                }
            }
            if (!catalog.tableExists(id)) {
                try {
                    catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of(
                            TableProperties.DEFAULT_FILE_FORMAT, FileFormat.AVRO.name().toLowerCase(java.util.Locale.ROOT),
                            TableProperties.FORMAT_VERSION, "2"));
                } catch (AlreadyExistsException e) {
                    // likewise
                }
            }
            return new JobRunLog(catalog, catalog.loadTable(id));
        } catch (RuntimeException e) {
            closeQuietly(catalog);
            throw e;
        }
    }

    /** Appends {@code run} in one commit (Iceberg retries a commit that meets a concurrent append). */
    public void record(JobRun run) {
        String location = table.locationProvider().newDataLocation(FileFormat.AVRO.addExtension(UUID.randomUUID().toString()));
        DataWriter<Record> writer;
        try {
            writer = Avro.writeData(table.io().newOutputFile(location))
                    .schema(SCHEMA)
                    .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
                    .withSpec(PartitionSpec.unpartitioned())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location, e);
        }
        try (writer) {
            writer.write(toRecord(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location, e);
        }
        DataFile file = writer.toDataFile();
        table.newAppend().appendFile(file).commit();
    }

    /** Every run of {@code pipeline} (of every pipeline when empty) in its newest state, the newest trigger first. */
    public List<JobRun> runs(Optional<String> pipeline) {
        Map<String, JobRun> newest = new LinkedHashMap<>();
        table.refresh();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record record : records) {
                JobRun run = fromRecord(record);
                if (pipeline.isPresent() && !pipeline.get().equals(run.pipeline())) {
                    continue;
                }
                newest.merge(run.runId(), run, (a, b) -> b.recordedAt().isAfter(a.recordedAt()) ? b : a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table.name(), e);
        }
        List<JobRun> runs = new ArrayList<>(newest.values());
        runs.sort(Comparator.comparing(JobRun::triggerTime).thenComparing(JobRun::recordedAt).reversed());
        return runs;
    }

    public Optional<JobRun> run(String runId) {
        return runs(Optional.empty()).stream().filter(run -> run.runId().equals(runId)).findFirst();
    }

    /** The newest cron tick of {@code job} a scheduler handled for {@code pipeline} (ran, or skipped), if any. */
    public Optional<Instant> lastScheduledTrigger(String pipeline, JobRun.Job job) {
        return runs(Optional.of(pipeline)).stream().filter(run -> run.job() == job && run.trigger() != JobRun.Trigger.MANUAL)
                .map(JobRun::triggerTime).max(Comparator.naturalOrder());
    }

    @Override
    public void close() {
        closeQuietly(catalog);
    }

    private static Record toRecord(JobRun run) {
        Object[] values = {run.format(), run.runId(), run.pipeline(), run.job().label(), run.trigger().label(), time(run.triggerTime()),
            run.state().label(), run.attempts(), run.startedAt().map(JobRunLog::time).orElse(null),
            run.endedAt().map(JobRunLog::time).orElse(null), boxed(run.modelVersion()), boxed(run.viewVersion()),
            run.cutoff().map(JobRunLog::time).orElse(null), run.error().orElse(null), run.scheduler(), time(run.recordedAt())};
        GenericRecord record = GenericRecord.create(SCHEMA);
        for (int i = 0; i < values.length; i++) {
            record.set(i, values[i]);
        }
        return record;
    }

    private static JobRun fromRecord(Record r) {
        return new JobRun((Integer) r.get(0), (String) r.get(1), (String) r.get(2), JobRun.Job.of((String) r.get(3)),
                JobRun.Trigger.of((String) r.get(4)),
                instant(r.get(5)), JobRun.State.of((String) r.get(6)), (Integer) r.get(7), Optional.ofNullable(r.get(8)).map(JobRunLog::instant),
                Optional.ofNullable(r.get(9)).map(JobRunLog::instant), optionalLong(r.get(10)), optionalLong(r.get(11)),
                Optional.ofNullable(r.get(12)).map(JobRunLog::instant), Optional.ofNullable((String) r.get(13)), (String) r.get(14),
                instant(r.get(15)));
    }

    private static Schema schema() {
        List<Types.NestedField> fields = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            LakeColumn column = COLUMNS.get(i);
            fields.add(column.required() ? Types.NestedField.required(i + 1, column.name(), type(column.type()))
                    : Types.NestedField.optional(i + 1, column.name(), type(column.type())));
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

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Object value) {
        return ((OffsetDateTime) value).toInstant();
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static OptionalLong optionalLong(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of((Long) value);
    }

    private static void closeQuietly(RESTCatalog catalog) {
        try {
            catalog.close();
        } catch (IOException e) {
            // nothing held that outlives the process
        }
    }
}
