package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.schema.Migration;
import io.tessera.serving.schema.ServingSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline's serving tables in Cassandra: the one place their metadata is written, and where
 * publications, the reader and the realtime writer come from. Thread-safe; holds one session.
 */
public final class ServingStore implements AutoCloseable {

    static final String WRITING = "writing";
    static final String WRITTEN = "written";
    static final String PUBLISHED = "published";
    static final String RETIRED = "retired";

    private final CassandraTarget target;
    private final String keyspace;
    private final String viewName;
    private final CqlSession session;

    private ServingStore(CassandraTarget target, String keyspace, String viewName, CqlSession session) {
        this.target = target;
        this.keyspace = keyspace;
        this.viewName = viewName;
        this.session = session;
    }

    /**
     * @param keyspace the pipeline's keyspace (its name)
     * @param viewName the spec's {@code serving.view}
     */
    public static ServingStore open(CassandraTarget target, String keyspace, String viewName) {
        return new ServingStore(target, keyspace, viewName, target.open());
    }

    CassandraTarget target() {
        return target;
    }

    String keyspace() {
        return keyspace;
    }

    CqlSession session() {
        return session;
    }

    /** Creates or upgrades the serving tables; see {@link ServingSchema#migrate}. */
    public List<Migration> migrate() {
        return ServingSchema.migrate(session, target, keyspace);
    }

    /** Checks the serving tables are at this build's version; see {@link ServingSchema#check}. */
    public void check() {
        ServingSchema.check(session, keyspace);
    }

    /** True if Cassandra answers a trivial query within the request timeout. */
    public boolean ping() {
        try {
            return session.execute(statement("SELECT release_version FROM system.local", target.reads())).one() != null;
        } catch (com.datastax.oss.driver.api.core.DriverException e) {
            return false;
        }
    }

    /** The view readers use now, if one was published. */
    public Optional<ServedView> current() {
        Row row = session.execute(statement("SELECT buckets, publication FROM " + keyspace + ".views WHERE name = ?", target.reads(),
                viewName)).one();
        return row == null ? Optional.empty() : Optional.of(new ServedView(ControlMessageCodec.viewFromJson(row.getString("publication")), row.getInt("buckets")));
    }

    /**
     * The newest change of the pipeline's challenger that serving recorded, if any: what a layer that
     * starts applies before the control stream tells it more.
     */
    public Optional<ControlMessage.ChallengerChange> challenger() {
        Row row = session.execute(statement("SELECT change FROM " + keyspace + ".challenger WHERE name = ?", target.reads(), viewName)).one();
        return row == null ? Optional.empty() : Optional.of(ControlMessageCodec.challengerFromJson(row.getString("change")));
    }

    /**
     * Records a challenger change if it is the next one: revision 1 when none was recorded, else the
     * recorded revision + 1, checked and written in one lightweight transaction, so of two operators
     * changing the challenger at once one wins and the other is told to look again.
     *
     * @return false if another change was recorded first (nothing written)
     */
    public boolean recordChallenger(ControlMessage.ChallengerChange change) {
        if (!change.pipeline().equals(keyspace)) {
            throw new IllegalArgumentException("challenger of pipeline " + change.pipeline() + " recorded into keyspace " + keyspace);
        }
        String json = ControlMessageCodec.toJson(change);
        SimpleStatement write = change.revision() == 1
                ? statement("INSERT INTO " + keyspace + ".challenger (name, revision, change, changed_at) VALUES (?, ?, ?, ?) IF NOT EXISTS",
                        target.writes(), viewName, change.revision(), json, Instant.now())
                : statement("UPDATE " + keyspace + ".challenger SET revision = ?, change = ?, changed_at = ? WHERE name = ? IF revision = ?",
                        target.writes(), change.revision(), json, Instant.now(), viewName, change.revision() - 1);
        return session.execute(write.setSerialConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL)).wasApplied();
    }

    /** Starts publishing a new view version: records it as being written, so a failure leaves a trace for retention. */
    public ViewPublication newPublication(PublishedView view) {
        if (!view.pipeline().equals(keyspace)) {
            throw new IllegalArgumentException("view of pipeline " + view.pipeline() + " published into keyspace " + keyspace);
        }
        int buckets = ViewBuckets.count(view.entities());
        recordVersion(view, buckets, WRITING, -1);
        return new ViewPublication(this, view, buckets);
    }

    /**
     * The publication of a version whose rows an earlier run wrote, to complete it (a run resumed after a
     * crash between writing and switching).
     *
     * @throws IncompleteViewException if serving holds no rows of that version, or retired them
     */
    public ViewPublication resume(PublishedView view) {
        Row row = session.execute(statement("SELECT state, buckets FROM " + keyspace + ".view_versions WHERE name = ? AND view_version = ?",
                target.reads(), viewName, view.viewVersion())).one();
        if (row == null || RETIRED.equals(row.getString("state"))) {
            throw new IncompleteViewException("view v" + view.viewVersion() + " has " + (row == null ? "no rows in serving" : "been retired")
                    + ": publish it again from the lake");
        }
        return new ViewPublication(this, view, row.getInt("buckets"));
    }

    /**
     * A reader of these tables for a pipeline's spec.
     *
     * @throws io.tessera.serving.schema.SchemaMismatchException if they are not at this build's version
     */
    public ServingReader reader(PipelineSpec spec) {
        return reader(spec, 0);
    }

    /**
     * A reader that keeps keys' decoded batch rows of the view serving, up to {@code batchCacheBytes} of
     * their encoded size (the query API's; 0 keeps none).
     *
     * @throws io.tessera.serving.schema.SchemaMismatchException if they are not at this build's version
     */
    public ServingReader reader(PipelineSpec spec, long batchCacheBytes) {
        check();
        return new ServingReader(this, viewName, spec, batchCacheBytes);
    }

    /** The writer of realtime rows (the speed layer's, and tests'). */
    public RealtimeViewWriter realtimeWriter() {
        return new RealtimeViewWriter(this);
    }

    void recordVersion(PublishedView view, int buckets, String state, long rowsWritten) {
        session.execute(statement("INSERT INTO " + keyspace + ".view_versions (name, view_version, state, buckets, rows_written, publication,"
                        + " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", target.writes(), viewName, view.viewVersion(), state, buckets,
                rowsWritten, ControlMessageCodec.viewToJson(view), Instant.now()));
    }

    /** Rows recorded as written for a version, or -1 if none were. */
    long rowsWritten(long viewVersion) {
        Row row = session.execute(statement("SELECT state, rows_written FROM " + keyspace + ".view_versions WHERE name = ? AND view_version = ?",
                target.reads(), viewName, viewVersion)).one();
        if (row == null || WRITING.equals(row.getString("state")) || RETIRED.equals(row.getString("state"))) {
            return -1;
        }
        return row.getLong("rows_written");
    }

    /** The switch: one lightweight transaction on the view's row, applied only if {@code expected} still serves. */
    boolean switchTo(PublishedView view, int buckets, Optional<Long> expected) {
        Object[] values = {view.viewVersion(), buckets, view.snapshot().id(), Instant.ofEpochMilli(view.cutoff()),
                view.champion().map(ChampionRef::version).orElse(null), Instant.ofEpochMilli(view.publishedAt()), ControlMessageCodec.viewToJson(view)};
        SimpleStatement write;
        if (expected.isEmpty()) {
            write = statement("INSERT INTO " + keyspace + ".views (name, view_version, buckets, snapshot_id, cutoff, champion_version,"
                    + " published_at, publication) VALUES (?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS", target.writes(), prepend(viewName, values));
        } else {
            Object[] bound = new Object[values.length + 2];
            System.arraycopy(values, 0, bound, 0, values.length);
            bound[values.length] = viewName;
            bound[values.length + 1] = expected.get();
            write = statement("UPDATE " + keyspace + ".views SET view_version = ?, buckets = ?, snapshot_id = ?, cutoff = ?,"
                    + " champion_version = ?, published_at = ?, publication = ? WHERE name = ? IF view_version = ?", target.writes(), bound);
        }
        return session.execute(write.setSerialConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL)).wasApplied();
    }

    /**
     * Retires, after {@code serving} became current: versions older than it that were never published
     * (failed or superseded runs), and published ones beyond the newest {@code retainedViews}. Their rows
     * go with one partition delete per bucket.
     *
     * @return the versions retired now
     */
    List<Long> retire(long serving) {
        List<Long> retired = new ArrayList<>();
        int publishedKept = 0;
        for (Row row : session.execute(statement("SELECT view_version, state, buckets, publication FROM " + keyspace
                + ".view_versions WHERE name = ?", target.reads(), viewName))) {   // newest first
            long version = row.getLong("view_version");
            String state = row.getString("state");
            if (RETIRED.equals(state) || version >= serving && !PUBLISHED.equals(state)) {
                continue;   // gone already, or a newer run still writing
            }
            if (PUBLISHED.equals(state) && publishedKept++ < target.retainedViews()) {
                continue;
            }
            for (int bucket = 0; bucket < row.getInt("buckets"); bucket++) {
                session.execute(statement("DELETE FROM " + keyspace + ".batch_view WHERE view_version = ? AND bucket = ?", target.writes(),
                        version, bucket));
            }
            session.execute(statement("UPDATE " + keyspace + ".view_versions SET state = ?, changed_at = ? WHERE name = ? AND view_version = ?",
                    target.writes(), RETIRED, Instant.now(), viewName, version));
            retired.add(version);
        }
        return retired;
    }

    SimpleStatement statement(String cql, ConsistencyLevel consistency, Object... values) {
        return SimpleStatement.newInstance(cql, values).setConsistencyLevel(consistency);
    }


    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void close() {
        session.close();
    }
}
