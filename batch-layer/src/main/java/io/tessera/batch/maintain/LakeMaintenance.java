package io.tessera.batch.maintain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.ingest.IngestBranch;
import io.tessera.batch.ingest.IngestLog;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.registry.ModelRegistry;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.lake.IngestRecord;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The maintenance of one pipeline's lake ({@code platform lake maintain}), safe against what the platform
 * needs of its history (docs/lake-maintenance.md). Built with its settings, then {@link #run} does, in
 * order, and reports each step with counts:
 *
 * <ol>
 *   <li><b>ingest log</b>: a row for every file whose events' snapshot summary carries its marker and the
 *       log does not ({@link IngestLog#reconcile}), before expiry erases the summaries;</li>
 *   <li><b>protect</b>: an Iceberg tag on each snapshot of {@code events} that a registered model
 *       ({@code model-v<N>}) or a recorded view ({@code view-v<N>}) names; expiry never removes a tagged
 *       snapshot, nor the files it reads;</li>
 *   <li><b>stale branches</b>: the private branches of ingests that crashed ({@link IngestBranch}), older
 *       than {@link #STALE_BRANCH_AGE};</li>
 *   <li><b>rewrite</b>: small data files compacted (Iceberg's {@code rewrite_data_files}, bin-pack);</li>
 *   <li><b>expire</b>: snapshots older than the retention (the table's own, see {@link #retaining}),
 *       keeping the newest {@code keepLast} of {@code main}, every tag and branch, and the ancestry readers
 *       walk: from the current snapshot of each table back to its newest speed-layer commit (in
 *       {@code events} the cut, {@link LakeSnapshot}; in every table where Flink's Iceberg committer,
 *       restored from a checkpoint, looks for what it committed last, so as not to commit it again), and back to
 *       any snapshot whose ingest marker the log has not (an ingest that stopped between its two
 *       commits: its re-run finds the marker there);</li>
 *   <li><b>orphans</b>: files under each table's data folder that no snapshot references, older than the
 *       orphan age (only the data folder: the model registry's folder also holds the model artifacts).</li>
 * </ol>
 * Every table of the pipeline's namespace is maintained. A dry run changes nothing and reports the same
 * steps with what they would do (rewrite is not planned).
 */
public final class LakeMaintenance {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_KEEP_LAST = 10;
    /** Iceberg's own default: a file younger than this may belong to a commit in progress. */
    public static final Duration DEFAULT_ORPHAN_AGE = Duration.ofDays(3);
    /** An ingest's branch lives for the seconds of its write; one older than this is from an ingest that crashed. */
    public static final Duration STALE_BRANCH_AGE = Duration.ofHours(1);

    static final String MODEL_TAG = "model-v";
    static final String VIEW_TAG = "view-v";

    private final SparkSession spark;
    private final PipelineTables tables;
    private final Clock clock;
    private Optional<Duration> retention = Optional.empty();
    private int keepLast = DEFAULT_KEEP_LAST;
    private Duration orphanAge = DEFAULT_ORPHAN_AGE;
    private boolean dryRun;

    public LakeMaintenance(SparkSession spark, PipelineTables tables, Clock clock) {
        this.spark = spark;
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Snapshots older than this expire in every table (unless kept for a reason above). Without it, each
     * table's own Iceberg retention ({@code history.expire.max-snapshot-age-ms}: the speed layer gives the
     * tables it commits to at every checkpoint an hour) or else {@link #DEFAULT_RETENTION}.
     */
    public LakeMaintenance retaining(Duration age) {
        this.retention = Optional.of(requireNotNegative(age, "retention"));
        return this;
    }

    /** The newest {@code count} snapshots of each table's {@code main} stay, whatever their age (at least 1). */
    public LakeMaintenance keepingLast(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("keep at least the current snapshot (1), got " + count);
        }
        this.keepLast = count;
        return this;
    }

    public LakeMaintenance removingOrphansOlderThan(Duration age) {
        this.orphanAge = requireNotNegative(age, "orphan age");
        return this;
    }

    public LakeMaintenance dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** One step of a run: what, how many, and on which tables or refs. */
    public record Step(String action, long count, String detail) {
        @Override
        public String toString() {
            return String.format("%-15s %d %s", action, count, detail);
        }
    }

    /**
     * @throws IllegalStateException if the pipeline has no lake yet (nothing ingested)
     */
    public List<Step> run() {
        if (!spark.catalog().tableExists(tables.events())) {
            throw new IllegalStateException(tables.events() + " does not exist: nothing to maintain (ingest events first)");
        }
        if (!dryRun) {
            tables.ensure();   // a lake from before the ingest log gets one
        }
        List<Step> steps = new ArrayList<>();
        IngestLog log = new IngestLog(spark, tables);
        List<IngestRecord> missing = dryRun ? log.unlogged() : log.reconcile();
        steps.add(ingestLogStep(missing));
        Set<String> logged = new HashSet<>(log.files());
        missing.forEach(record -> logged.add(record.fileSha256()));
        Map<String, Long> named = namedSnapshots();
        steps.add(protect(named));

        Set<Long> protectedIds = new HashSet<>(named.values());
        Counts branches = new Counts();
        Counts rewritten = new Counts();
        Counts expired = new Counts();
        Counts orphans = new Counts();
        List<String> floors = new ArrayList<>();
        Map<String, Duration> ownRetention = new LinkedHashMap<>();
        for (String name : tableNames()) {
            Table table = LakeSnapshot.load(spark, name);
            table.refresh();
            branches.add(name, removeStaleBranches(table));
            if (table.currentSnapshot() == null) {
                continue;
            }
            if (!dryRun) {
                rewritten.add(name, rewrite(table));
            }
            Optional<Duration> own = retention.isEmpty() ? tableRetention(table) : Optional.empty();
            own.ifPresent(age -> ownRetention.put(name.substring(name.lastIndexOf('.') + 1), age));
            Duration retained = retention.or(() -> own).orElse(DEFAULT_RETENTION);
            expired.add(name, expire(name, table, retained, logged, protectedIds, floors));
            orphans.add(name, removeOrphans(table));
        }
        steps.add(new Step("stale branches", branches.total, branches.detail("ingest branches older than "
                + human(STALE_BRANCH_AGE))));
        steps.add(dryRun ? new Step("rewrite", 0, "not planned in a dry run")
                : new Step("rewrite", rewritten.total, rewritten.detail("small data files compacted")));
        steps.add(new Step("expired", expired.total, expired.detail("snapshots older than " + human(retention.orElse(DEFAULT_RETENTION))
                + retentionsOfTheirOwn(ownRetention) + ", the newest " + keepLast + " of each table kept")
                + (floors.isEmpty() ? "" : "; " + String.join("; ", floors))));
        steps.add(new Step("orphans", orphans.total, orphans.detail("unreferenced data files older than " + human(orphanAge))));
        return steps;
    }

    private Step ingestLogStep(List<IngestRecord> missing) {
        return new Step("ingest log", missing.size(), tables.ingests() + ": rows " + (dryRun ? "missing" : "added")
                + " from the snapshot summaries of events" + (missing.isEmpty() ? "" : " " + missing.stream()
                .map(r -> r.fileSha256().substring(0, 12) + "@" + r.snapshotId()).toList()));
    }

    /** Tag name to snapshot of {@code events}, for every model and recorded view. */
    private Map<String, Long> namedSnapshots() {
        Map<String, Long> named = new LinkedHashMap<>();
        new ModelRegistry(spark, tables).trainingSnapshots().forEach((version, snapshot) -> named.put(MODEL_TAG + version, snapshot));
        BatchViewPublisher.viewSnapshots(spark, tables).forEach((version, snapshot) -> named.put(VIEW_TAG + version, snapshot));
        return named;
    }

    private Step protect(Map<String, Long> named) {
        Table events = LakeSnapshot.load(spark, tables.events());
        events.refresh();
        List<String> tagged = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        ManageSnapshots tags = events.manageSnapshots();
        named.forEach((tag, snapshot) -> {
            SnapshotRef ref = events.refs().get(tag);
            if (ref != null && ref.snapshotId() == snapshot) {
                return;
            }
            if (events.snapshot(snapshot) == null) {
                gone.add(tag + "@" + snapshot);
            } else if (ref != null) {
                throw new IllegalStateException(tables.events() + ": tag " + tag + " is on snapshot " + ref.snapshotId() + ", but " + tag
                        + " names snapshot " + snapshot + "; remove the tag if it is not Tessera's");
            } else {
                tags.createTag(tag, snapshot);
                tagged.add(tag);
            }
        });
        if (!tagged.isEmpty() && !dryRun) {
            tags.commit();
        }
        return new Step("protected", tagged.size(), tables.events() + ": " + (named.size() - tagged.size() - gone.size())
                + " of " + named.size() + " snapshots named by models and views tagged already" + (tagged.isEmpty() ? "" : ", now " + tagged)
                + (gone.isEmpty() ? "" : "; expired before they were protected (nothing to keep): " + gone));
    }

    private long removeStaleBranches(Table table) {
        long now = clock.millis();
        List<String> stale = new ArrayList<>();
        table.refs().forEach((name, ref) -> {
            Optional<IngestBranch> branch = ref.isBranch() ? IngestBranch.of(name) : Optional.empty();
            if (branch.isPresent()) {
                long created = branch.get().createdAt().orElseGet(() -> table.snapshot(ref.snapshotId()).timestampMillis());
                if (now - created > STALE_BRANCH_AGE.toMillis()) {
                    stale.add(name);
                }
            }
        });
        if (!stale.isEmpty() && !dryRun) {
            ManageSnapshots remove = table.manageSnapshots();
            stale.forEach(remove::removeBranch);
            remove.commit();
        }
        return stale.size();
    }

    private long rewrite(Table table) {
        RewriteDataFiles.Result result = SparkActions.get(spark).rewriteDataFiles(table).execute();
        table.refresh();
        return result.rewrittenDataFilesCount();
    }

    private long expire(String name, Table table, Duration retained, Set<String> logged, Set<Long> protectedIds, List<String> floors) {
        long olderThan = clock.millis() - retained.toMillis();
        List<String> reasons = new ArrayList<>();
        Optional<Snapshot> floor = ancestryFloor(name, table, logged, reasons);
        if (floor.isPresent() && floor.get().timestampMillis() < olderThan) {   // said only where it keeps more than the retention
            olderThan = floor.get().timestampMillis();
            floors.addAll(reasons);
        }
        ExpireSnapshots expire = table.expireSnapshots().expireOlderThan(olderThan).retainLast(keepLast);
        if (dryRun) {   // the tags are not there: what they will protect is not counted
            boolean events = name.equals(tables.events());
            return expire.apply().stream().filter(s -> !(events && protectedIds.contains(s.snapshotId()))).count();
        }
        List<Snapshot> removed = expire.apply();
        expire.commit();
        return removed.size();
    }

    /** The table's own retention, Iceberg's {@code history.expire.max-snapshot-age-ms}, if it sets one. */
    private static Optional<Duration> tableRetention(Table table) {
        String millis = table.properties().get(TableProperties.MAX_SNAPSHOT_AGE_MS);
        return millis == null ? Optional.empty() : Optional.of(Duration.ofMillis(Long.parseLong(millis)));
    }

    private static String retentionsOfTheirOwn(Map<String, Duration> own) {
        return own.isEmpty() ? "" : " (" + own.entrySet().stream().map(e -> e.getKey() + " " + human(e.getValue()))
                .collect(Collectors.joining(", ")) + ": the tables' own history.expire.max-snapshot-age-ms)";
    }

    /**
     * The oldest snapshot of {@code main}'s ancestry that must stay for readers to walk to it: the newest
     * speed-layer commit (in {@code events} the cut; in every table what a restored committer looks for),
     * and a snapshot whose ingest marker the log does not have. Empty when nothing needs more than the retention keeps.
     */
    private Optional<Snapshot> ancestryFloor(String name, Table table, Set<String> logged, List<String> floors) {
        Snapshot floor = null;
        boolean lineageFound = false;
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (!lineageFound && SnapshotLineage.fromSummary(snapshot.snapshotId(), snapshot.summary()).isPresent()) {
                lineageFound = true;
                floor = snapshot;
                floors.add(name + " kept back to snapshot " + snapshot.snapshotId() + ", the newest speed-layer commit ("
                        + (name.equals(tables.events()) ? "the cut" : "where the speed layer's committer resumes") + ")");
            }
            String marker = snapshot.summary().get(FileIngest.INGEST_ID);
            if (marker != null && !logged.contains(marker)) {
                floor = snapshot;
                floors.add(name + " kept back to snapshot " + snapshot.snapshotId() + ": ingest " + marker.substring(0, 12)
                        + " has no log row (it stopped between its commits; re-run it)");
            }
        }
        return Optional.ofNullable(floor);
    }

    private long removeOrphans(Table table) {
        String data = table.properties().getOrDefault(TableProperties.WRITE_DATA_LOCATION, table.location() + "/data");
        long olderThan = clock.millis() - orphanAge.toMillis();
        if (!anyFileOlderThan(data, olderThan)) {
            return 0;   // nothing can be an orphan: spare the Spark jobs that list what the snapshots reference
        }
        var action = SparkActions.get(spark).deleteOrphanFiles(table).location(data).olderThan(olderThan);
        if (dryRun) {
            action = action.deleteWith(file -> { });
        }
        long count = 0;
        for (String ignored : action.execute().orphanFileLocations()) {
            count++;
        }
        return count;
    }

    /** Whether the folder holds a file modified before {@code millis}; stops at the first (in a mature table, the first few). */
    private boolean anyFileOlderThan(String folder, long millis) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(folder);
        try {
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                return false;
            }
            for (var files = fs.listFiles(path, true); files.hasNext(); ) {
                if (files.next().getModificationTime() < millis) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": " + e.getMessage(), e);
        }
    }

    private List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (Row row : spark.sql("SHOW TABLES IN " + tables.namespace()).collectAsList()) {
            names.add(tables.namespace() + "." + row.getString(row.fieldIndex("tableName")));
        }
        names.sort(String::compareTo);
        return names;
    }

    private static Duration requireNotNegative(Duration age, String what) {
        if (age.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + age);
        }
        return age;
    }

    /** An age as the options write it: 7d, 36h, 90m, 0. */
    static String human(Duration age) {
        long millis = age.toMillis();
        if (millis == 0) {
            return "0";
        }
        return millis % 86_400_000 == 0 ? age.toDays() + "d" : millis % 3_600_000 == 0 ? age.toHours() + "h"
                : millis % 60_000 == 0 ? age.toMinutes() + "m" : millis / 1000 + "s";
    }

    /** Counts per table, reported with the tables that had any. */
    private static final class Counts {
        long total;
        final Map<String, Long> byTable = new LinkedHashMap<>();

        void add(String table, long count) {
            total += count;
            if (count > 0) {
                byTable.put(table.substring(table.lastIndexOf('.') + 1), count);
            }
        }

        String detail(String what) {
            return what + (byTable.isEmpty() ? "" : " " + byTable);
        }
    }
}
